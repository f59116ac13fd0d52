import type { Response } from 'express';
import { DomainException } from '../../common/errors/domain.exception';
import { statusOfDomainError } from '../../common/http/all-exceptions.filter';
import type { UsersService } from '../users.service';
import type { Notice } from './auth.pages';

/** The notice after a user form: the outcome, or the refusal with its reason (and its status set on `res`). */
export async function userActionNotice(res: Response, action: () => Promise<string>): Promise<Notice> {
  try {
    return { ok: true, text: await action() };
  } catch (error) {
    if (!(error instanceof DomainException)) throw error;
    res.status(statusOfDomainError(error));
    return { ok: false, text: `操作失败 Not done: ${error.message}` };
  }
}

/** Disables or enables a user (of `scope`'s merchant, or any for null), in the words the pages show. */
export async function setDisabledInWords(
  users: UsersService,
  actorId: string,
  userId: string,
  disabled: boolean,
  scope: string | null,
): Promise<string> {
  const user = await users.setDisabled(actorId, userId, disabled, scope);
  return `${disabled ? '已停用 Disabled' : '已启用 Enabled'} ${user.email}`;
}
