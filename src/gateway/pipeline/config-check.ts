/** The shape of a policy's cross-field configuration check (run after the JSON Schema, pointer-addressed). */
import type { GatewayConfig } from '../../config/schema.js';

/** One problem: the pointer segments into the config file and what is wrong there. */
export interface ConfigCheckIssue {
  at: Array<string | number>;
  message: string;
}

/** Checks what a JSON Schema cannot (references between sections, uniqueness). */
export type ConfigCheck = (config: GatewayConfig) => ConfigCheckIssue[];
