/**
 * How request parts are checked against their route's schemas (shared/src/api): JSON bodies as
 * they are (no type coercion: `{"initials": 5}` is refused, not read as "5"), path parameters and
 * queries with strings turned into the numbers and booleans their schema asks for (a query value
 * given twice becomes an array and is refused where one value is expected). A failed check answers
 * 400 with the part's code (`invalid-body`, `invalid-query`, `invalid-params`) and a sentence
 * naming the field and what was wrong.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import type { FastifySchemaCompiler } from 'fastify'
import { HttpError } from './HttpError'

const bodies = new Ajv({ coerceTypes: false, useDefaults: false, allErrors: false, strict: false })
const strings = new Ajv({
  coerceTypes: 'array',
  useDefaults: false,
  allErrors: false,
  strict: false,
})

/** Fastify's validator compiler: bodies without coercion, the rest with it. */
export const compileValidator: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  const validate = (httpPart === 'body' ? bodies : strings).compile(schema)
  return (data: unknown) =>
    validate(data) ? { value: data } : { error: validationError(validate, httpPart) }
}

/** Error codes by request part. */
const PART_CODES: Record<string, string> = {
  body: 'invalid-body',
  querystring: 'invalid-query',
  params: 'invalid-params',
  headers: 'invalid-headers',
}

/** Query fields with a code of their own (documented in docs/API.md). */
const FIELD_CODES: Record<string, string> = { format: 'invalid-format' }

function field(error: ErrorObject): string {
  const path = error.instancePath.replace(/^\//, '').replaceAll('/', '.')
  if (error.keyword === 'required') {
    const missing = String((error.params as { missingProperty?: string }).missingProperty ?? '')
    return path ? `${path}.${missing}` : missing
  }
  return path
}

function sentence(error: ErrorObject, part: string): string {
  const name = field(error)
  const what = part === 'body' ? 'The body' : part === 'querystring' ? 'The query' : 'The path'
  if (error.keyword === 'required') return `"${name}" is required.`
  if (error.keyword === 'additionalProperties') {
    const extra = (error.params as { additionalProperty?: string }).additionalProperty
    return `${what} has an unknown field "${extra}".`
  }
  if (error.keyword === 'anyOf' || error.keyword === 'const') {
    return name ? `"${name}" is not one of the accepted values.` : `${what} is not accepted.`
  }
  return name
    ? `"${name}" ${error.message ?? 'is not valid'}.`
    : `${what} ${error.message ?? 'is not valid'}.`
}

function validationError(validate: ValidateFunction, part: string | undefined): HttpError {
  const first = validate.errors?.[0]
  const httpPart = part ?? 'body'
  if (!first)
    return new HttpError(400, PART_CODES[httpPart] ?? 'invalid-request', 'Invalid request.')
  const code =
    (httpPart === 'querystring' ? FIELD_CODES[field(first).split('.')[0] ?? ''] : undefined) ??
    PART_CODES[httpPart] ??
    'invalid-request'
  return new HttpError(400, code, sentence(first, httpPart))
}
