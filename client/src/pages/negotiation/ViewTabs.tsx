/**
 * The workspace's tab bar. Each tab is a link-like button to its view's address. Other parties'
 * layers, read only (the mediator's and the drafting team's view of every party), are one choice
 * "Party layers" when there are {@link GROUP_LAYERS_FROM} or more, and other parties' suggestions
 * (the mediator's) one choice "Party suggestions" from {@link GROUP_SUGGESTIONS_FROM} on, so that
 * the bar fits a table of eight parties on one line.
 */
import type { ViewRoute } from './viewRoute'
import type { WorkspaceTab } from './workspaceTabs'

/** From how many read-only party layers on they are grouped into one choice. */
export const GROUP_LAYERS_FROM = 3
/** From how many read-only party suggestion copies on they are grouped into one choice. */
export const GROUP_SUGGESTIONS_FROM = 2

/** A kind of read-only party tab that may be grouped into one choice. */
interface TabGroup {
  id: string
  kind: 'layer' | 'suggest'
  from: number
  /** The choice's label, with the number of tabs. */
  label: (count: number) => string
}

const GROUPS: readonly TabGroup[] = [
  {
    id: 'party-layer-choice',
    kind: 'layer',
    from: GROUP_LAYERS_FROM,
    label: (count) => `Party layers (${count})`,
  },
  {
    id: 'party-suggestions-choice',
    kind: 'suggest',
    from: GROUP_SUGGESTIONS_FROM,
    label: (count) => `Party suggestions (${count})`,
  },
]

function TabChoice({
  group,
  members,
  activeKey,
  onOpen,
}: {
  group: TabGroup
  members: readonly WorkspaceTab[]
  activeKey: string | null
  onOpen: (route: ViewRoute) => void
}) {
  const active = members.find((tab) => tab.key === activeKey)
  return (
    <li className="tab-choice">
      <label htmlFor={group.id} className="visually-hidden">
        {group.kind === 'layer' ? 'Party layer (read only)' : 'Party suggestions (read only)'}
      </label>
      <select
        id={group.id}
        className="document-tab"
        aria-current={active ? 'page' : undefined}
        value={active?.key ?? ''}
        onChange={(event) => {
          const chosen = members.find((tab) => tab.key === event.target.value)
          if (chosen) onOpen(chosen.route)
        }}
      >
        <option value="" disabled>
          {group.label(members.length)}
        </option>
        {members.map((tab) => (
          <option key={tab.key} value={tab.key}>
            {tab.label} (read only)
          </option>
        ))}
      </select>
    </li>
  )
}

export function ViewTabs({
  tabs,
  activeKey,
  onOpen,
}: {
  tabs: readonly WorkspaceTab[]
  activeKey: string | null
  onOpen: (route: ViewRoute) => void
}) {
  const grouped = new Map<TabGroup, WorkspaceTab[]>()
  for (const group of GROUPS) {
    const members = tabs.filter(
      (tab) => tab.document?.kind === group.kind && tab.document.access === 'read',
    )
    if (members.length >= group.from) grouped.set(group, members)
  }
  const groupOf = (tab: WorkspaceTab) =>
    [...grouped].find(([, members]) => members.includes(tab)) ?? null
  return (
    <nav className="document-tabs" aria-label="Views">
      <ul>
        {tabs.map((tab) => {
          const found = groupOf(tab)
          if (found) {
            const [group, members] = found
            if (members[0] !== tab) return null
            return (
              <TabChoice
                key={group.id}
                group={group}
                members={members}
                activeKey={activeKey}
                onOpen={onOpen}
              />
            )
          }
          return (
            <li key={tab.key}>
              <button
                type="button"
                className="document-tab"
                aria-current={tab.key === activeKey ? 'page' : undefined}
                onClick={() => onOpen(tab.route)}
              >
                {tab.label}
                {tab.document?.access === 'read' && (
                  <span className="access-note"> (read only)</span>
                )}
              </button>
            </li>
          )
        })}
      </ul>
    </nav>
  )
}
