/** Every structural diff check, in the order their findings are produced. Adding one touches this list. */
import type { DiffCheck } from '../check.js';
import { apiAdded } from './api-added.js';
import { apiDeprecation } from './api-deprecation.js';
import { apiRemoved } from './api-removed.js';
import { apiSecurity } from './api-security.js';
import { apiStability } from './api-stability.js';
import { apiSunsetChanged } from './api-sunset-changed.js';
import { componentsSchemas } from './components-schemas.js';
import { componentsSecurity } from './components-security.js';
import { mediaTypeSchemaExistence } from './media-type-schema-existence.js';
import { newRequestParameter } from './new-request-parameter.js';
import { operationMetadata } from './operation-metadata.js';
import { requestBody } from './request-body.js';
import { requestBodyMediaType } from './request-body-media-type.js';
import { requestParameterDeprecation } from './request-parameter-deprecation.js';
import { requestParameterRemoved } from './request-parameter-removed.js';
import { requestParameterRequired } from './request-parameter-required.js';
import { requestParameterSerialization } from './request-parameter-serialization.js';
import { requestParameterSunsetChanged } from './request-parameter-sunset-changed.js';
import { responseHeader } from './response-header.js';
import { responseMediaType } from './response-media-type.js';
import { responseStatus } from './response-status.js';
import { schemaChanges } from './schema-changes.js';
import { webhook } from './webhook.js';

/** The structural checks; schema-level IDs come from the schema comparator through `schemaChanges`. */
export const DIFF_CHECKS: readonly DiffCheck[] = Object.freeze([
  apiRemoved,
  apiAdded,
  apiStability,
  apiDeprecation,
  apiSunsetChanged,
  webhook,
  requestParameterRemoved,
  newRequestParameter,
  requestParameterRequired,
  requestParameterSerialization,
  requestParameterDeprecation,
  requestParameterSunsetChanged,
  requestBody,
  requestBodyMediaType,
  mediaTypeSchemaExistence,
  responseStatus,
  responseMediaType,
  responseHeader,
  apiSecurity,
  componentsSecurity,
  operationMetadata,
  componentsSchemas,
  schemaChanges,
]);
