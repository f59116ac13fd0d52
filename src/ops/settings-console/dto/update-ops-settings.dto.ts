import { ApiPropertyOptional } from '@nestjs/swagger';
import { Allow } from 'class-validator';
import { OPS_SETTING_DEFINITIONS } from '@app/ops/settings/ops-settings.definitions';

/**
 * Any subset of the settings; null puts one back to its default. The service checks the values against
 * the definitions (one source for the API, the page and the stored rows); unknown names are refused here.
 */
export class UpdateOpsSettingsDto {
  [key: string]: unknown;
}

for (const d of OPS_SETTING_DEFINITIONS) {
  const bounds =
    d.kind === 'int' ? `${d.min}–${d.max}` : `${d.min}–${d.max} items, each ${d.items!.min}–${d.items!.max}`;
  ApiPropertyOptional({
    description: `${d.label} (${d.unit}, ${bounds}; null: back to the default). ${d.help}`,
    nullable: true,
    ...(d.kind === 'int' ? { type: 'integer', minimum: d.min, maximum: d.max } : { type: 'integer', isArray: true }),
  })(UpdateOpsSettingsDto.prototype, d.key);
  Allow()(UpdateOpsSettingsDto.prototype, d.key);
}
