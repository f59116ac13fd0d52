import { Module } from '@nestjs/common';
import { RetentionRegistry } from './retention.registry';

/** The retention port: each context imports it and registers the purge of its own tables in `onModuleInit`. */
@Module({ providers: [RetentionRegistry], exports: [RetentionRegistry] })
export class RetentionModule {}
