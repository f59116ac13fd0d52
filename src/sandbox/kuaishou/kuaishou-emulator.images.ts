import { createHash } from 'crypto';
import { Request } from 'express';
import { imageSize } from 'image-size';
import { ksError } from './kuaishou-emulator.errors';

/** One part of a multipart body. */
export interface KsPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

/** The Kuaishou CDN host this emulator hands out for uploaded images. */
export const KS_IMAGE_HOST = 'p4-ec.kwaixiaodian.com';
const MAX_BYTES = 2 * 1024 * 1024;
const FORMATS = ['png', 'jpg', 'webp', 'bmp'];
/** uploadType (sheet §3.6): 5 white-background and 6 transparent are 1:1, ≥480×480 (§3.2); 6 is png. */
const UPLOAD_TYPES = [1, 2, 3, 4, 5, 6, 9];
const SQUARE_TYPES = [5, 6];
const SQUARE_MIN_EDGE = 480;

/** Reads a `multipart/form-data` body (the upload API's transport; sheet §2.1). */
export async function readMultipart(req: Request): Promise<KsPart[]> {
  const type = String(req.headers['content-type'] ?? '');
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(type);
  if (!boundary) throw ksError.invalid('multipart boundary 缺失');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 10 * 1024 * 1024) throw ksError.invalid('请求体过大');
    chunks.push(chunk);
  }
  const body = Buffer.concat(chunks);
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const parts: KsPart[] = [];
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    const raw = body.subarray(start + delimiter.length + 2, next - 2);
    const split = raw.indexOf('\r\n\r\n');
    if (split !== -1) {
      const head = raw.subarray(0, split).toString('utf8');
      const name = /name="([^"]*)"/i.exec(head)?.[1];
      const filename = /filename="([^"]*)"/i.exec(head)?.[1];
      const contentType = /content-type:\s*([^\r\n]+)/i.exec(head)?.[1];
      if (name !== undefined) parts.push({ name, filename, contentType, data: raw.subarray(split + 4) });
    }
    start = next;
  }
  return parts;
}

/**
 * `open.item.image.upload`: image bytes (`imgBytes`) are checked for format (png/jpeg/webp/bmp),
 * ≤2 MB, and for the 1:1 ≥480×480 kinds their shape; a URL alone (`imgUrl`) cannot be fetched from
 * the sandbox and is taken as it is. Answers a Kuaishou-hosted URL, the same for the same bytes.
 */
export function uploadImage(
  hosted: Set<string>,
  uploadType: number,
  imgUrl: string | undefined,
  bytes: Buffer | undefined,
): { originImgUrl: string; kwaiImgUrl: string } {
  if (!UPLOAD_TYPES.includes(uploadType)) throw ksError.invalid(`uploadType[${uploadType}]不支持`);
  if (!bytes?.length && !imgUrl) throw ksError.invalid('imgBytes 与 imgUrl 不能同时为空');
  let ext = 'jpg';
  let digest: string;
  if (bytes?.length) {
    if (bytes.length > MAX_BYTES) throw ksError.business('图片大小不能超过2M');
    let size: { width?: number; height?: number; type?: string };
    try {
      size = imageSize(bytes);
    } catch {
      throw ksError.business('图片格式不正确，仅支持png/jpeg/webp/bmp');
    }
    if (!size.type || !FORMATS.includes(size.type) || !size.width || !size.height)
      throw ksError.business('图片格式不正确，仅支持png/jpeg/webp/bmp');
    if (SQUARE_TYPES.includes(uploadType)) {
      if (size.width !== size.height) throw ksError.business('图片比例必须为1:1');
      if (size.width < SQUARE_MIN_EDGE) throw ksError.business(`图片尺寸不能小于${SQUARE_MIN_EDGE}*${SQUARE_MIN_EDGE}`);
      if (uploadType === 6 && size.type !== 'png') throw ksError.business('透明图必须为png格式');
    }
    ext = size.type;
    digest = createHash('sha256').update(bytes).digest('hex');
  } else {
    if (!/^https?:\/\//.test(imgUrl ?? '')) throw ksError.invalid('imgUrl 不合法');
    digest = createHash('sha256')
      .update(imgUrl ?? '')
      .digest('hex');
  }
  const kwaiImgUrl = `https://${KS_IMAGE_HOST}/bs2/image-kwaishop-product/${digest.slice(0, 32)}.${ext}`;
  hosted.add(kwaiImgUrl);
  return { originImgUrl: imgUrl ?? '', kwaiImgUrl };
}
