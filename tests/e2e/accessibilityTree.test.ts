/**
 * A screen reader's pass through Chromium's accessibility tree: the current iteration with a
 * clause panel open, as the mediator and as a party member, and the working draft with a locked
 * clause. The landmarks come in reading order, the outline gives each clause's count of open shared
 * suggested changes, shared suggestions read as "[inserted by Party: ...]" and "[deleted by Party:
 * ...]" in the text and in the side-by-side columns, status chips as whole words after their
 * clause, a locked clause says so, and every control has a name. Each reading is saved as
 * test-artifacts/reading-*.txt.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import {
  type AxNode,
  CONTROL_ROLES,
  findAll,
  findOne,
  landmarks,
  readAccessibilityTree,
  reading,
  saveReading,
  spokenText,
} from '../helpers/accessibilityTree'
import { useBrowserSuite } from '../helpers/browserSuite'
import {
  type PartyRound,
  type RoundClause,
  startPartyRound,
  suggestInRound,
} from '../helpers/partyRound'

const PARTIES = ['Nurses Union', 'Hospital Management', 'Medical Staff']
const NUMBERS = ['four', 'five', 'six']
const LOCK_NOTE = 'Tentatively agreed and locked: reopening needs every party’s consent.'

/** The landmarks a reader moves between, leaving out the regions and forms inside them. */
const pageLandmarks = (tree: AxNode) =>
  landmarks(tree).filter((landmark) => !/^(region|form)\b/.test(landmark))

/** Controls without a name, as `role` (a screen reader says only "button"). */
const unnamedControls = (tree: AxNode) =>
  findAll(tree, (node) => CONTROL_ROLES.has(node.role) && node.name.trim() === '').map(
    (node) => `${node.role}: ${spokenText(node)}`,
  )

/** Tracked changes (`<ins>`, `<del>`) under `node`, as read. */
const trackedChanges = (node: AxNode) =>
  findAll(node, (candidate) => candidate.role === 'insertion' || candidate.role === 'deletion').map(
    (change) => `${change.role}: ${spokenText(change)}`,
  )

describe('the accessibility tree, read through', () => {
  const suite = useBrowserSuite()

  async function setUp(): Promise<{
    round: PartyRound
    wages: RoundClause
    training: RoundClause
  }> {
    const server = suite.server
    const round = await startPartyRound(server, 'Screen reader round', PARTIES)
    const clause = (heading: string) => {
      const found = round.clauses.find((candidate) => candidate.heading === heading)
      if (!found) throw new Error(`no clause ${heading}`)
      return found
    }
    const wages = clause('Wages')
    const training = clause('Training')
    for (const [index, party] of round.parties.entries()) {
      await suggestInRound(
        server,
        round,
        party.id,
        wages,
        [
          { find: 'three', replace: NUMBERS[index] ?? '' },
          { find: ' each year', replace: '' },
        ],
        { rationale: `${party.name} members need it.` },
      )
    }
    // Training is initialled by every party's lead: tentatively agreed and locked.
    for (const party of round.parties) {
      const lead = round.leads.get(party.id)
      const signed = await round.api(
        'POST',
        `/clauses/${training.id}/signoff`,
        { initials: 'XY' },
        lead?.token,
      )
      expect(signed.status).toBe(200)
    }
    return { round, wages, training }
  }

  /**
   * Opens `clause` of the current iteration with its panel and reads the tree once saved and
   * once `shown` (a CSS selector, when given) is on the page.
   */
  async function readClause(page: Page, round: PartyRound, clause: RoundClause, shown?: string) {
    await page.goto(`${suite.server.url}/negotiations/${round.id}/text/clause/${clause.id}`)
    await page.getByRole('complementary', { name: `Clause ${clause.number}` }).waitFor()
    await expect.poll(() => page.locator('.save-status').textContent()).toBe('All changes saved')
    if (shown) await page.locator(shown).first().waitFor()
    return readAccessibilityTree(page)
  }

  it('reads the current iteration as the mediator and as a party member, and a locked clause in the draft', async () => {
    const { round, wages, training } = await setUp()

    // The mediator, clause 1 open: every party's shared suggestion.
    const mediator = await suite.signedIn('mediator@demo.test', round.title)
    const tree = await readClause(mediator, round, wages, '.suggestion-columns .ovl-ins')
    saveReading('reading-iteration-mediator', reading(tree))
    expect(pageLandmarks(tree)).toEqual([
      'banner',
      'navigation "Views"',
      'navigation "Clauses"',
      'main',
      'complementary "Clause 1"',
    ])
    // The outline: each clause, its count of open shared suggested changes, then its status in
    // whole words. The count is the open changes the parties shared on the clause.
    const shared = await round.api<Array<{ partyId: string; changes: Array<{ status: string }> }>>(
      'GET',
      `/suggestions?clause=${wages.id}&iteration=1`,
    )
    const open = shared.body.flatMap((group) =>
      group.changes.filter((change) => change.status === 'open'),
    )
    expect(open).toHaveLength(9)
    const outline = (wagesButton: string) => [
      '[navigation "Clauses"]',
      'heading 2: CLAUSES',
      wagesButton,
      'In discussion',
      'button: 2. Scheduling',
      'Open',
      'button: 3. Training',
      'Tentatively agreed',
    ]
    expect(reading(findOne(tree, 'navigation', 'Clauses'))).toEqual(
      outline(`button: 1. Wages (${open.length} open suggested changes)`),
    )
    // Suggested changes say what they are and whose, in the text and in the side-by-side columns.
    const insertions = round.parties.map(
      (party, index) => `insertion: [inserted by ${party.name}: ${NUMBERS[index]}]`,
    )
    const overlayText = findOne(tree, 'textbox', 'Single Text 1 with shared suggestions')
    expect(trackedChanges(overlayText)).toEqual(insertions)
    const struck = (words: string) =>
      round.parties.map((party) => `[deleted by ${party.name}: ${words}]`).join('')
    expect(spokenText(overlayText)).toContain(
      `Base rates rise by ${struck('three')}${insertions.map((line) => line.slice('insertion: '.length)).join('')} percent on the first of April ${struck('each year')}for every grade.`,
    )
    const columns = findOne(
      findOne(tree, 'complementary', 'Clause 1'),
      'region',
      'Shared suggestions side by side',
    )
    expect(trackedChanges(columns)).toEqual(insertions)
    for (const [index, party] of round.parties.entries()) {
      expect(
        spokenText(findOne(columns, 'textbox', `${party.name}’s suggestions on clause 1`)),
      ).toBe(
        `Wages Base rates rise by [deleted by ${party.name}: three][inserted by ${party.name}: ${NUMBERS[index]}] percent on the first of April [deleted by ${party.name}: each year]for every grade.`,
      )
    }
    // Clause by clause, the agreed clause's card says so in words: its status, and that it is locked and why.
    await mediator.getByRole('button', { name: 'Clause by clause' }).click()
    await mediator.locator(`[data-clause-id="${training.id}"]`).waitFor()
    const cards = await readAccessibilityTree(mediator)
    saveReading('reading-iteration-mediator-cards', reading(cards))
    expect(spokenText(findOne(cards, 'article', '3. Training'))).toMatch(
      /^3\. Training Tentatively agreed Tentatively agreed and locked: reopening needs every party’s consent\. /,
    )
    // A clause card is an article, not a landmark: a long agreement does not flood the list.
    expect(findAll(cards, (node) => node.role === 'region' && /^\d+\. /.test(node.name))).toEqual(
      [],
    )
    expect(unnamedControls(cards)).toEqual([])
    expect(unnamedControls(tree)).toEqual([])
    expect(findAll(tree, (node) => node.role === 'button').length).toBeGreaterThan(10)

    // A member of the first party, the agreed clause 3 open.
    const nurses = round.parties[0]
    const member = await suite.signedIn(
      round.members.get(nurses?.id ?? '')?.email ?? '',
      round.title,
    )
    const memberTree = await readClause(member, round, training)
    saveReading('reading-iteration-member', reading(memberTree))
    expect(pageLandmarks(memberTree)).toEqual([
      'banner',
      'navigation "Views"',
      'navigation "Clauses"',
      'main',
      'complementary "Clause 3"',
    ])
    // The member's outline: the same count of open shared changes.
    expect(reading(findOne(memberTree, 'navigation', 'Clauses'))).toEqual(
      outline(`button: 1. Wages (${open.length} open suggested changes)`),
    )
    // The member sees every party's shared suggestions in the text.
    expect(
      trackedChanges(findOne(memberTree, 'textbox', 'Single Text 1 with shared suggestions')),
    ).toEqual(insertions)
    const memberPanel = findOne(memberTree, 'complementary', 'Clause 3')
    // The panel of the agreed clause says it is locked, under its heading.
    expect(reading(memberPanel).slice(1, 3)).toEqual(['heading 2: 3. Training', LOCK_NOTE])
    expect(spokenText(findOne(memberPanel, 'region', 'Sign-off'))).toContain(
      'Nurses Union: initialled XY',
    )
    expect(unnamedControls(memberTree)).toEqual([])

    // The working draft: the locked clause's note is read just before its heading.
    await mediator.goto(`${suite.server.url}/negotiations/${round.id}/draft`)
    await mediator.locator('.clause-lock-note').waitFor()
    const draftTree = await readAccessibilityTree(mediator)
    const draftReading = reading(draftTree)
    saveReading('reading-draft-mediator', draftReading)
    const text = reading(findOne(draftTree, 'textbox', 'Working draft'))
    expect(text.indexOf(LOCK_NOTE)).toBeGreaterThan(0)
    expect(text[text.indexOf(LOCK_NOTE) + 1]).toBe('heading 2: 3. Training')
    expect(text.filter((line) => line === LOCK_NOTE)).toHaveLength(1)
    expect(unnamedControls(draftTree)).toEqual([])
  })
})
