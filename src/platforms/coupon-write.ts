import { PlatformError } from './platform-error';
import { ChannelCoupon } from './ports/promotions.port';

/**
 * A coupon write on either platform, answered with the coupon as the platform has it afterwards.
 * When the write fails in a way the platform's current state can settle (`settles`: an unclear
 * answer, or a refusal of a repeat), the coupon is read back: accepted when it already shows what
 * was asked (`done`), otherwise the failure stands.
 */
export async function writeCoupon(
  write: () => Promise<unknown>,
  read: () => Promise<ChannelCoupon>,
  settles: (error: PlatformError) => boolean,
  done: (coupon: ChannelCoupon) => boolean,
): Promise<ChannelCoupon> {
  try {
    await write();
  } catch (error) {
    if (!(error instanceof PlatformError) || !settles(error)) throw error;
    const now = await read();
    if (done(now)) return now;
    throw error;
  }
  return read();
}

/** An end that failed is settled by the coupon's state unless the coupon is not there at all. */
export const endSettles = (error: PlatformError): boolean => error.code !== 'NOT_FOUND';

export const isEnded = (coupon: ChannelCoupon): boolean => coupon.status === 'ended' || coupon.status === 'deleted';

/** A change that failed is settled by the coupon's state only when the answer was unclear. */
export const changeSettles = (error: PlatformError): boolean => error.ambiguous;
