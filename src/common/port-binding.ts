/**
 * A port that a lower context declares and a higher context implements. The higher context's module
 * imports the lower one and binds its implementation when it initializes (before any request,
 * consumer or job runs), so the two modules do not import each other. A subclass implements the
 * port by delegating each method to `impl()`.
 */
export abstract class PortBinding<T> {
  private bound?: T;

  protected abstract readonly portName: string;

  bind(impl: T): void {
    if (this.bound && this.bound !== impl)
      throw new Error(`${this.portName} is bound to another implementation already`);
    this.bound = impl;
  }

  protected impl(): T {
    if (!this.bound)
      throw new Error(`${this.portName} is used before its implementation is bound (is its module imported?)`);
    return this.bound;
  }
}
