import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OpsSettingChangeEntity } from '@app/ops/settings/ops-setting-change.entity';
import { OpsSettingState } from '@app/ops/settings/ops-settings.service';

export class OpsSettingView {
  @ApiProperty() key: string;
  @ApiProperty({ enum: ['retention', 'sign-in', 'failures', 'alerts', 'quotas'] }) group: string;
  @ApiProperty({ description: 'Chinese and English label' }) label: string;
  @ApiProperty() unit: string;
  @ApiProperty({ description: 'The value in force: an override, or else the default' }) value: number | number[];
  @ApiProperty({ description: 'From the environment (or the built-in constant)' }) defaultValue: number | number[];
  @ApiProperty({ description: 'Whether an admin set a value of their own' }) overridden: boolean;
  @ApiProperty() min: number;
  @ApiProperty() max: number;
  @ApiProperty() help: string;
  @ApiPropertyOptional({ nullable: true }) updatedAt: number | null;
  @ApiPropertyOptional({ nullable: true, description: 'Email of the admin who set the override' }) updatedBy:
    string | null;

  static of(s: OpsSettingState): OpsSettingView {
    const d = s.definition;
    return {
      key: d.key,
      group: d.group,
      label: d.label,
      unit: d.unit,
      value: s.value,
      defaultValue: s.defaultValue,
      overridden: s.override !== null,
      min: d.kind === 'int' ? d.min : d.items!.min,
      max: d.kind === 'int' ? d.max : d.items!.max,
      help: d.help,
      updatedAt: s.override?.updatedAt ?? null,
      updatedBy: s.override?.updatedBy ?? null,
    };
  }
}

export class OpsSettingChangeView {
  @ApiProperty() key: string;
  @ApiProperty() oldValue: number | number[];
  @ApiProperty() newValue: number | number[];
  @ApiProperty() changedBy: string;
  @ApiProperty() changedAt: number;

  static of(c: OpsSettingChangeEntity): OpsSettingChangeView {
    return { key: c.name, oldValue: c.oldValue, newValue: c.newValue, changedBy: c.changedBy, changedAt: c.changedAt };
  }
}

export class OpsSettingsPage {
  @ApiProperty({ type: [OpsSettingView] }) settings: OpsSettingView[];
  @ApiProperty({ type: [OpsSettingChangeView], description: 'The latest changes, newest first' })
  changes: OpsSettingChangeView[];
}
