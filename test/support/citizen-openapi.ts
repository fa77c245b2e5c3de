import assert from 'node:assert/strict';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { CITIZEN_OPENAPI_FILE } from '../../src/rest/citizen/citizen-openapi.js';
import type { Answer } from './citizen-calls.js';

type Operation = { responses: Record<string, { content?: Record<string, { schema?: object }> }> };
type Api = { paths: Record<string, Record<string, Operation>> };

let api: Promise<Api> | undefined;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addFormat('binary', true);

/**
 * Asserts that an answer of the citizen API is one its OpenAPI document declares: the status for that path and
 * method, the content type, and the body against the schema (problem+json for errors).
 */
export async function assertDeclared(method: string, template: string, answer: Answer): Promise<void> {
  api ??= SwaggerParser.dereference(CITIZEN_OPENAPI_FILE) as unknown as Promise<Api>;
  const operation = (await api).paths[template]?.[method.toLowerCase()];
  assert.ok(operation, `${method} ${template} is not in the OpenAPI document`);
  const response = operation.responses[String(answer.status)];
  assert.ok(response, `${answer.status} is not declared for ${method} ${template}`);
  const type = answer.contentType.split(';')[0] ?? '';
  const media = response.content?.[type];
  assert.ok(media, `${type} is not declared for ${answer.status} of ${method} ${template}`);
  if (type.includes('json')) {
    const validate = ajv.compile(media.schema ?? {});
    assert.ok(validate(answer.body), `${answer.status} body of ${method} ${template} does not match: ${ajv.errorsText(validate.errors)}`);
  }
}
