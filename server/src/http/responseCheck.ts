/**
 * Checks every JSON answer against its route's schema (shared/src/api/routes.ts), so that the
 * schemas, the OpenAPI document and the client's types cannot drift from what the server sends.
 * On in the tests (`checkResponses`); an answer that does not match becomes a logged 500.
 */
import { ErrorBody } from '@onetext/shared/api/commonSchemas'
import type { RouteSpec } from '@onetext/shared/api/routeSpec'
import { API_ROUTES, type RouteKey } from '@onetext/shared/api/routes'
import { Ajv, type ValidateFunction } from 'ajv'
import type { FastifyInstance } from 'fastify'

const ajv = new Ajv({ strict: false, allErrors: true })
const compiled = new Map<string, ValidateFunction>()

function validator(key: string, status: number, spec: RouteSpec): ValidateFunction | null {
  const id = `${key} ${status}`
  let validate = compiled.get(id)
  if (!validate) {
    const schema = spec.response[status] ?? (status >= 400 ? ErrorBody : null)
    if (!schema) return null
    validate = ajv.compile(schema)
    compiled.set(id, validate)
  }
  return validate
}

/** Adds the check to `app`. */
export function checkResponses(app: FastifyInstance): void {
  app.addHook('preSerialization', async (request, reply, payload) => {
    const key = (request.routeOptions.config as { routeKey?: RouteKey }).routeKey
    if (!key || reply.statusCode >= 500) return payload
    const spec: RouteSpec = API_ROUTES[key]
    const validate = validator(key, reply.statusCode, spec)
    if (!validate)
      throw new Error(`${key} answered ${reply.statusCode}, which its schema does not list`)
    if (!validate(payload)) {
      throw new Error(
        `${key} answered ${reply.statusCode} with a body its schema refuses: ${ajv.errorsText(validate.errors)}`,
      )
    }
    return payload
  })
}
