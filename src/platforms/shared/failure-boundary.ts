import { Logger } from '@nestjs/common';
import { PLATFORMS, ShopRef } from '../ports/platform.types';
import { needsReauth } from '../failure-policy';
import { PlatformError } from '../platform-error';

export const CALL_FAILURE_LISTENER = Symbol('CALL_FAILURE_LISTENER');

/** Implemented by accounts: what a failed call means for the shop's connection. */
export interface CallFailureListener {
  /** Takes the connection out of service for a `reauth` failure; returns whether it did. */
  reportCallFailure(connectionId: string, error: PlatformError): Promise<boolean>;
}

const logger = new Logger('FailureBoundary');

/**
 * Wraps a platform port object so that every method that is asked for a shop applies the failure
 * policy before its caller sees the error: a `reauth` failure (withdrawn grant, missing
 * permission) marks the shop's connection. Generic over the port's shape: every method whose
 * arguments include a `ShopRef` is covered, whatever port or capability it belongs to. The
 * error reaches the caller unchanged; the method runs on the port itself (not on the wrapper).
 */
export function withFailurePolicy<T extends object>(port: T, listener: CallFailureListener): T {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(port, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (!wrapped.has(property)) {
        const method = value as (...args: unknown[]) => unknown;
        wrapped.set(property, function (this: unknown, ...args: unknown[]) {
          const result = method.apply(target, args);
          const shop = args.find(isShopRef);
          if (!shop || !isThenable(result)) return result;
          return result.then(undefined, async (error: unknown) => {
            if (needsReauth(error)) await report(listener, shop, error);
            throw error;
          });
        });
      }
      return wrapped.get(property);
    },
  });
}

async function report(listener: CallFailureListener, shop: ShopRef, error: PlatformError): Promise<void> {
  try {
    await listener.reportCallFailure(shop.connectionId, error);
  } catch (failure) {
    // The caller gets the platform's error either way; the next failing call reports again.
    logger.error(
      `could not mark ${shop.platform} connection ${shop.connectionId} after ${error.code}: ${(failure as Error).message}`,
    );
  }
}

function isShopRef(value: unknown): value is ShopRef {
  if (typeof value !== 'object' || value === null) return false;
  const ref = value as Partial<ShopRef>;
  return typeof ref.connectionId === 'string' && typeof ref.shopId === 'string' && PLATFORMS.includes(ref.platform!);
}

function isThenable(value: unknown): value is Promise<unknown> {
  return typeof (value as Promise<unknown> | undefined)?.then === 'function';
}
