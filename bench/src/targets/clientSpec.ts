/**
 * A serialisable description of how a replay client connects to a target, so that clients can run
 * in their own processes (`bench/src/replayChild.ts`), and the one function that connects it.
 */
import type { ReplayClient } from '../replayEngine'
import { hocuspocusClient } from './hocuspocusTarget'
import { connect } from './onetextTarget'
import { yWebsocketClient } from './yWebsocketServerTarget'

/** Where and as whom a client connects. */
export type ClientSpec =
  | { kind: 'onetext'; url: string; token: string; document: string }
  | { kind: 'hocuspocus'; port: number }
  | { kind: 'y-websocket-server'; port: number }

/** Connects a client of the kind `spec` names. */
export function connectSpec(spec: ClientSpec): ReplayClient {
  switch (spec.kind) {
    case 'onetext':
      return connect(spec.url, spec.token, spec.document)
    case 'hocuspocus':
      return hocuspocusClient(spec.port)
    case 'y-websocket-server':
      return yWebsocketClient(spec.port)
  }
}
