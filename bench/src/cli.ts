/**
 * `pnpm bench <command> [options]`: OneText's benchmarks. Figures, not pass/fail: record them in
 * docs/BENCHMARKS.md with the command and the machine.
 *
 *   replay --trace FILE.json.gz [--clients N] [--client-processes] [--processes N] [--json]
 *       Replays an editing trace through the real server and real clients (N read-only observers,
 *       default 1) and in-process with plain Yjs. Last line: one JSON object. With
 *       --client-processes every client runs in its own process (slower on two cores; for bigger
 *       machines). With --processes N (N > 1), N server processes on PostgreSQL and Redis behind
 *       nginx (deploy/nginx.conf), the clients connecting through nginx.
 *   fanout [--clients N] [--keystrokes N] [--readers frames|docs] [--workers K] [--processes N] [--plot FILE.svg] [--json]
 *       One mediator typing 10 keystrokes/s into a 150-page text, N read-only clients (default 240).
 *       Readers are sockets timestamping each frame's arrival (frames, default) or full Yjs clients
 *       applying it (docs). With --workers, docs readers run in K child processes. With --plot,
 *       runs 10, 60, 120 and 240 clients and writes an SVG chart of latency. With --processes N,
 *       N server processes behind nginx, as for replay.
 *   fanout --negotiations K [--clients N] [--keystrokes N] [--processes N] [--json]
 *       Capacity: K negotiations of 150 pages (started through the API from Markdown), each with
 *       its mediator typing 10 keystrokes/s and N frame readers (default 24), on N server processes
 *       behind nginx (default 1: one process, here too behind nginx on PostgreSQL and Redis).
 *       p50/p99 over every negotiation's keystrokes, each process's CPU and negotiations.
 *   docs [--documents N] [--json]
 *       N small documents (default 1,000) with 3 clients each: server memory per document, and after.
 *   coldsync [--runs N] [--json]
 *       First sync of a 1 MB text with 10,000 edits of history, from disk, after a restart.
 *   browser [--pages N] [--keystrokes N] [--flat] [--suggest] [--colleague] [--colleague-in browser|node] [--trace-out FILE.json] [--cpu-profile-out FILE.cpuprofile] [--colleague-cpu-profile-out FILE.cpuprofile] [--json]
 *       Keystroke-to-paint latency in the editor on an N-page text (default 150) in headless Chromium.
 *       The text is a clause tree: an article every 5 pages, each divided into 3 sections;
 *       --flat puts each article's paragraphs in the article itself, without sections;
 *       --suggest: a party member types in the party's suggestion copy of the text circulated as
 *       Single Text 1, which holds 300 changes, while a colleague types elsewhere;
 *       --colleague: in the working draft too, a colleague types elsewhere meanwhile;
 *       --colleague-in node: the colleague is a Yjs client in the benchmark's Node process (a
 *       colleague on another machine) rather than a second page of the browser (the default).
 *       With --trace-out, also writes a Chrome trace of the typing (open it in DevTools' Performance);
 *       --cpu-profile-out and --colleague-cpu-profile-out write V8 CPU profiles of the member's
 *       (or mediator's) page and of the colleague's page. The JSON object also gives p50/p95 apart
 *       for the keystrokes a colleague's change reached the editor with (`withRemote`) and the
 *       others (`alone`), and for the colleague's own keystrokes (`colleagueKeystrokes`).
 *   compare-view [--json]
 *       Time for the browser's comparison view to show a 300-clause comparison.
 *   exports [--json]
 *       Diff of two iterations and DOCX/PDF export of a 300-clause, 150-page agreement.
 *   compare [--trace FILE.json.gz] [--runs N] [--client-processes] [--json]
 *       The same replay through OneText, Hocuspocus 3 and the y-websocket reference server, in
 *       alternating runs (default 1 round; each round starts with the next server). Last line: one JSON object.
 *   chaos --kills K [--seed S] [--documents N] [--writers N] [--json]
 *       Writers (real y-websocket clients) type into N documents (default 3, 2 writers each) while the
 *       server process is killed with SIGKILL K times at random moments and restarted; at the end
 *       every edit a writer saw acknowledged must be stored. Prints its seed; last line
 *       {"kills":K,"ackedEdits":N,"ackedLost":0,"ok":true}, exit code 1 when something was lost.
 *   fuzz --frames N [--seed S] [--json]
 *       Structure-aware fuzzing of the wire protocol (bench/src/fuzz): attackers of every role send N
 *       hostile frames to every document kind while honest clients type. Prints its seed; last line
 *       {"frames":N,"seed":S,"crashes":0,"maxStallMs":x,"converged":true,"reloadEqual":true,
 *       "gateHeld":true,"ok":true},
 *       exit code 1 when a check failed (the findings, with frames in hex, are printed before it).
 *   circulate [--pages N] [--typists N] [--rate N] [--circulations N] [--suggestions K] [--json]
 *       The mediator circulates iterations of an N-page draft (default 150) while N typists (default
 *       40, each `--rate` keystrokes a second, default 4) write into it: the server's event-loop delay
 *       and keystroke acknowledgement latency while typing alone and during circulations.
 *       --suggestions K (default 0): each party first writes K changes into its copy of Single Text 1
 *       and its lead shares about half; every circulation carries them forward (figures under `carry`).
 *   gate [--trace FILE.json.gz] [--rounds N] [--json]
 *       What the update gate adds to each update of a trace (default automerge-paper): the trace's
 *       updates applied to a document alone, against offered to a working draft's gate first, in
 *       this process, alternating rounds (default 5). One JSON object: microseconds per update.
 *   converge [--seed S] [--rounds N] [--clients N] [--json]
 *       N simulated users (default 8) in every role make random structural edits over a faulty
 *       network (delays, duplicates, swaps, cuts, partitions) for N rounds (default 30) while the
 *       server process is restarted about once a round, half of the time with SIGKILL; at the end
 *       every copy and the stored document must agree and no honest user may have been refused.
 *       Prints its seed (CONVERGE_SEED=S also replays one); last line
 *       {"seed":S,"rounds":N,"restarts":R,"converged":true,"ok":true,...}, exit code 1 when not ok.
 *
 * Environment (diagnostics; see docs/BENCHMARKS.md):
 * - BENCH_SERVER_LOG=1 echoes the server's log; BENCH_SERVER_CPU_PROF=DIR writes its CPU profile;
 *   BENCH_SERVER_NODE_ARGS='--trace-gc' adds Node options to every benchmark server;
 *   BENCH_SERVER_ENTRY=FILE runs another build of the server (for interleaved A/B runs);
 * - BENCH_PLAIN_WS=1 makes clients write each frame on its own;
 * - for `browser`: BENCH_TRACE_JS=0 leaves JS sampling out of `--trace-out`; BENCH_TRACE_STACKS=1
 *   adds the JS stack that forced each style or layout update; BENCH_TRACE_INVALIDATIONS=1 adds
 *   what made each paint and layout necessary; BENCH_LAYER_COUNT=1 logs the page's elements that
 *   make paint layers, by tag and class, before the typing; BENCH_EXTRA_CSS='...' adds a style
 *   sheet to the page (to try a rendering change without a rebuild); BENCH_PAUSE_SERVER=1 pauses
 *   the server process while the page types (what its concurrent work costs the page);
 *   BENCH_SERVER_THREADS=1 logs the server's CPU thread by thread (a keystroke; for `replay` and `compare`, the networked run);
 *   BENCH_JS_FLAGS='--trace-gc --trace-gc-verbose' passes V8 flags to Chromium (with
 *   DEBUG=pw:browser its pages' GC lines are printed).
 */

import fs from 'node:fs'
import path from 'node:path'
import { browserKeystroke } from './browserKeystroke'
import { chaos } from './chaos'
import { circulateWhileTyping } from './circulate'
import { coldSync } from './coldSync'
import { compareServers } from './compare'
import { compareRender } from './compareRender'
import { convergeBench } from './converge/processHost'
import { exportsBench } from './exportsBench'
import { fanout, latencyChart } from './fanout'
import { DEFAULT_READERS_PER_NEGOTIATION, fanoutNegotiations } from './fanoutNegotiations'
import { formatFindings } from './fuzz/findings'
import { runFuzz } from './fuzz/runFuzz'
import { gateCost } from './gateCost'
import { manyDocs } from './manyDocs'
import { replayThroughServer } from './replay'
import { loadTrace } from './traces'

/** The commands, one line each (details in the module comment and docs/BENCHMARKS.md). */
const USAGE = `usage: pnpm bench <command> [options]
  replay --trace FILE.json.gz [--clients N] [--client-processes] [--processes N] [--json]
  compare [--trace FILE.json.gz] [--runs N] [--client-processes] [--json]
  fanout [--clients N] [--keystrokes N] [--readers frames|docs] [--workers K] [--processes N] [--plot FILE.svg] [--json]
  fanout --negotiations K [--clients N] [--keystrokes N] [--processes N] [--json]
  docs [--documents N] [--json]
  coldsync [--runs N] [--json]
  browser [--pages N] [--keystrokes N] [--flat] [--suggest] [--colleague] [--colleague-in browser|node] [--trace-out FILE.json] [--cpu-profile-out FILE.cpuprofile] [--colleague-cpu-profile-out FILE.cpuprofile] [--json]
  compare-view [--json]
  exports [--json]
  circulate [--pages N] [--typists N] [--rate N] [--circulations N] [--suggestions K] [--json]
  chaos --kills K [--seed S] [--documents N] [--writers N] [--json]
  converge [--seed S] [--rounds N] [--clients N] [--json]
  fuzz --frames N [--seed S] [--json]
  gate [--trace FILE.json.gz] [--rounds N] [--json]`

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name)
  return index >= 0 ? args[index + 1] : undefined
}

/** The value of option `name` as a positive whole number (`fallback` when absent). */
function wholeNumber(args: string[], name: string, fallback: number): number {
  const value = Number(option(args, name) ?? fallback)
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`${name} must be a positive whole number`)
  return value
}

const DEFAULT_TRACE = path.resolve(import.meta.dirname, '../traces/automerge-paper.json.gz')

// Every y-websocket provider adds a process 'exit' listener; hundreds of clients are expected here.
process.setMaxListeners(0)

/** `--processes N`: server processes behind nginx (default 1: one process, no nginx). */
function serverCount(args: string[]): number {
  const servers = Number(option(args, '--processes') ?? 1)
  if (!Number.isInteger(servers) || servers < 1)
    throw new RangeError('--processes must be a whole number of at least 1')
  return servers
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv
  const json = args.includes('--json')
  const log = json ? () => {} : (line: string) => console.log(line)
  switch (command) {
    case 'replay': {
      const file = option(args, '--trace') ?? DEFAULT_TRACE
      const clients = Number(option(args, '--clients') ?? 1)
      if (!Number.isInteger(clients) || clients < 0)
        throw new RangeError('--clients must be a whole number')
      const trace = loadTrace(file)
      log(
        `trace ${trace.name}: ${trace.kind}, ${trace.numAgents} agent(s), ${trace.txns.length} transactions, ${trace.ops} ops`,
      )
      const processes = args.includes('--client-processes')
      const servers = serverCount(args)
      const result = await replayThroughServer(trace, {
        observers: clients,
        processes,
        servers,
        log,
      })
      console.log(JSON.stringify(result))
      return result.ok ? 0 : 1
    }
    case 'fanout': {
      const keystrokes = Number(option(args, '--keystrokes') ?? 200)
      if (option(args, '--negotiations') !== undefined) {
        const result = await fanoutNegotiations({
          negotiations: wholeNumber(args, '--negotiations', 1),
          processes: serverCount(args),
          clients: wholeNumber(args, '--clients', DEFAULT_READERS_PER_NEGOTIATION),
          keystrokes,
          log,
        })
        console.log(JSON.stringify(result))
        return 0
      }
      const plot = option(args, '--plot')
      const counts = plot ? [10, 60, 120, 240] : [Number(option(args, '--clients') ?? 240)]
      const results = []
      for (const clients of counts) {
        const workers = Number(option(args, '--workers') ?? 0)
        const readers = option(args, '--readers') ?? 'frames'
        if (readers !== 'frames' && readers !== 'docs')
          throw new RangeError('--readers must be frames or docs')
        const servers = serverCount(args)
        const result = await fanout({ clients, keystrokes, workers, readers, servers, log })
        log(JSON.stringify(result))
        results.push(result)
      }
      if (plot) {
        fs.writeFileSync(plot, latencyChart(results))
        log(`chart written to ${plot}`)
      }
      console.log(JSON.stringify(results.length === 1 ? results[0] : results))
      return 0
    }
    case 'docs': {
      const documents = Number(option(args, '--documents') ?? 1000)
      console.log(JSON.stringify(await manyDocs({ documents, log })))
      return 0
    }
    case 'gate': {
      const trace = loadTrace(option(args, '--trace') ?? DEFAULT_TRACE)
      const rounds = wholeNumber(args, '--rounds', 5)
      console.log(JSON.stringify(await gateCost(trace, rounds)))
      return 0
    }
    case 'coldsync': {
      const runs = Number(option(args, '--runs') ?? 5)
      console.log(JSON.stringify(await coldSync({ runs, log })))
      return 0
    }
    case 'browser': {
      const pages = Number(option(args, '--pages') ?? 150)
      const keystrokes = Number(option(args, '--keystrokes') ?? 100)
      const traceFile = option(args, '--trace-out')
      const cpuProfileFile = option(args, '--cpu-profile-out')
      const colleagueCpuProfileFile = option(args, '--colleague-cpu-profile-out')
      const flat = args.includes('--flat')
      const suggest = args.includes('--suggest')
      const colleague = args.includes('--colleague')
      const colleagueIn = option(args, '--colleague-in') ?? 'browser'
      if (colleagueIn !== 'browser' && colleagueIn !== 'node')
        throw new RangeError('--colleague-in must be browser or node')
      console.log(
        JSON.stringify(
          await browserKeystroke({
            pages,
            keystrokes,
            flat,
            suggest,
            colleague,
            colleagueIn,
            traceFile,
            cpuProfileFile,
            colleagueCpuProfileFile,
            log,
          }),
        ),
      )
      return 0
    }
    case 'compare-view': {
      console.log(JSON.stringify(await compareRender({ log })))
      return 0
    }
    case 'exports': {
      console.log(JSON.stringify(await exportsBench()))
      return 0
    }
    case 'compare': {
      const trace = loadTrace(option(args, '--trace') ?? DEFAULT_TRACE)
      const runs = Number(option(args, '--runs') ?? 1)
      if (!Number.isInteger(runs) || runs < 1)
        throw new RangeError('--runs must be a positive whole number')
      log(
        `trace ${trace.name}: ${trace.txns.length} transactions; ${runs} round(s) of three servers`,
      )
      const processes = args.includes('--client-processes')
      console.log(JSON.stringify(await compareServers(trace, { runs, processes, log })))
      return 0
    }
    case 'circulate': {
      const result = await circulateWhileTyping({
        pages: wholeNumber(args, '--pages', 150),
        typists: wholeNumber(args, '--typists', 40),
        rate: wholeNumber(args, '--rate', 4),
        circulations: wholeNumber(args, '--circulations', 5),
        suggestions: option(args, '--suggestions') ? wholeNumber(args, '--suggestions', 0) : 0,
        log,
      })
      console.log(JSON.stringify(result))
      return 0
    }
    case 'chaos': {
      const kills = Number(option(args, '--kills'))
      if (!Number.isInteger(kills) || kills < 0)
        throw new RangeError('--kills must be a whole number')
      const seed = Number(option(args, '--seed') ?? Math.floor(Math.random() * 2 ** 31))
      if (!Number.isInteger(seed))
        throw new RangeError('--seed must be a whole number')
        // Printed first in every mode, so that a failing run can be replayed.
      ;(json ? console.error : console.log)(`chaos: seed ${seed}`)
      const result = await chaos({
        kills,
        seed,
        documents: wholeNumber(args, '--documents', 3),
        writersPerDocument: wholeNumber(args, '--writers', 2),
        log,
      })
      console.log(JSON.stringify(result))
      return result.ok ? 0 : 1
    }
    case 'converge': {
      const seed = Number(
        option(args, '--seed') ?? process.env.CONVERGE_SEED ?? Math.floor(Math.random() * 2 ** 31),
      )
      if (!Number.isInteger(seed)) throw new RangeError('--seed must be a whole number')
      ;(json ? console.error : console.log)(`converge: seed ${seed}`)
      const result = await convergeBench({
        seed,
        rounds: wholeNumber(args, '--rounds', 30),
        clients: wholeNumber(args, '--clients', 8),
        log,
      })
      if (!result.ok) console.error(`converge: failing seed ${seed} (--seed ${seed} replays it)`)
      const { refused: _refused, ...summary } = result
      console.log(JSON.stringify(summary))
      return result.ok ? 0 : 1
    }
    case 'fuzz': {
      const seed = Number(option(args, '--seed') ?? Math.floor(Math.random() * 2 ** 31))
      if (!Number.isInteger(seed)) throw new RangeError('--seed must be a whole number')
      ;(json ? console.error : console.log)(`fuzz: seed ${seed}`)
      const result = await runFuzz({ frames: wholeNumber(args, '--frames', 10_000), seed, log })
      if (result.findings.length > 0) console.error(formatFindings(result.findings, seed, 10))
      const { frames, crashes, maxStallMs, converged, reloadEqual, gateHeld, ok } = result
      log(JSON.stringify({ ...result, findings: result.findings.length }))
      const summary = { frames, seed, crashes, maxStallMs, converged, reloadEqual, gateHeld, ok }
      console.log(JSON.stringify(summary))
      return ok ? 0 : 1
    }
    default:
      console.error(USAGE)
      return 2
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  },
)
