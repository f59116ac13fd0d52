import { FieldError } from '@app/common/errors/domain.exception';
import { ChannelCategoryProperty } from '@app/platforms/ports/catalog.port';
import { ListingPropertyValue } from '../listings/listing-validation';
import type { DraftChanges } from '../listings/listing-publish.service';
import type { DraftFormValues } from './listing-draft.pages';

const ID = /^\d{1,40}$/;
const IMAGE = /^(https?:\/\/|data:image\/)/;
const MAX_IMAGES = 15;

/** A posted form value: one string, or several for a repeated name (a multiple select). */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/**
 * The catalog page's draft form (urlencoded: `categoryId`, `title`, `imageUrls` one per line,
 * `prop_<id>` per property of the current category) into draft changes, with field messages named
 * as the validator names its fields (`categoryId`, `title`, `imageUrls`, `properties[<id>]`).
 * Properties are read only for the category they were shown for; a changed category starts empty.
 */
export function parseDraftForm(
  body: Record<string, unknown>,
  properties: ChannelCategoryProperty[],
): { changes: DraftChanges; values: DraftFormValues; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const fail = (field: string, message: string) => errors.push({ field, messages: [message] });

  const categoryId = (strings(body.categoryId)[0] ?? '').trim();
  if (categoryId && !ID.test(categoryId)) fail('categoryId', 'must be a numeric leaf category id');
  const title = (strings(body.title)[0] ?? '').trim();
  if (!title) fail('title', 'must not be empty');
  else if (title.length > 200) fail('title', 'must be at most 200 characters');
  const imageText = strings(body.imageUrls)[0] ?? '';
  const imageUrls = imageText
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  if (imageUrls.length > MAX_IMAGES) fail('imageUrls', `at most ${MAX_IMAGES} images`);
  const badImage = imageUrls.findIndex((url) => !IMAGE.test(url) || url.length > 4000);
  if (badImage >= 0) fail('imageUrls', `line ${badImage + 1} is not an http(s) or data:image URL`);

  const values: ListingPropertyValue[] = [];
  for (const prop of properties) {
    const field = `properties[${prop.id}]`;
    const posted = strings(body[`prop_${prop.id}`])
      .map((v) => v.trim())
      .filter(Boolean);
    if (!posted.length) continue;
    if ((prop.inputType === 'single' || prop.inputType === 'multi') && prop.values.length) {
      if (posted.some((v) => !ID.test(v))) {
        fail(field, 'choose from the listed values');
        continue;
      }
      if (prop.inputType === 'single' && posted.length > 1) {
        fail(field, 'choose one value');
        continue;
      }
      values.push({ propertyId: prop.id, valueIds: posted });
    } else {
      const text = posted.join(' ');
      if (text.length > 500) {
        fail(field, 'must be at most 500 characters');
        continue;
      }
      values.push(
        prop.inputType === 'image'
          ? { propertyId: prop.id, imageUrls: text.split(/\s+/) }
          : { propertyId: prop.id, text },
      );
    }
  }
  return {
    changes: { ...(categoryId ? { categoryId } : {}), title, imageUrls, properties: values },
    values: { categoryId, title, imageUrls: imageText, properties: values },
    errors,
  };
}
