import { PortBinding } from './port-binding';

interface Greeter {
  greet(name: string): string;
}

class GreeterBinding extends PortBinding<Greeter> implements Greeter {
  protected readonly portName = 'the greeter';

  greet(name: string): string {
    return this.impl().greet(name);
  }
}

describe(PortBinding.name, () => {
  const english: Greeter = { greet: (name) => `hello ${name}` };

  it('forwards every call to the bound implementation', () => {
    const binding = new GreeterBinding();
    binding.bind(english);
    expect(binding.greet('Li')).toBe('hello Li');
  });

  it('refuses a call before an implementation is bound, naming the port', () => {
    expect(() => new GreeterBinding().greet('Li')).toThrow(/the greeter is used before its implementation is bound/);
  });

  it('refuses a second, different implementation and accepts the same one again', () => {
    const binding = new GreeterBinding();
    binding.bind(english);
    expect(() => binding.bind(english)).not.toThrow();
    expect(() => binding.bind({ greet: (name) => `你好 ${name}` })).toThrow(/bound to another implementation/);
    expect(binding.greet('Li')).toBe('hello Li');
  });
});
