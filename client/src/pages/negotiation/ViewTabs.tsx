/**
 * The workspace's tab bar. Each tab is a link-like button to its view's address. Other parties'
 * layers, read only (the mediator's and the drafting team's view of every party), are one choice
 * "Party layer" when there are more than {@link GROUP_LAYERS_FROM}, so that the bar fits a table
 * of eight parties on one line.
 */
import type { ViewRoute } from './viewRoute'
import type { WorkspaceTab } from './workspaceTabs'

/** From how many read-only party layers on they are grouped into one choice. */
export const GROUP_LAYERS_FROM = 3

export function ViewTabs({
  tabs,
  activeKey,
  onOpen,
}: {
  tabs: readonly WorkspaceTab[]
  activeKey: string | null
  onOpen: (route: ViewRoute) => void
}) {
  const isOtherLayer = (tab: WorkspaceTab) =>
    tab.document?.kind === 'layer' && tab.document.access === 'read'
  const layers = tabs.filter(isOtherLayer)
  const grouped = layers.length >= GROUP_LAYERS_FROM
  const firstLayer = layers[0]?.key
  const activeLayer = layers.find((tab) => tab.key === activeKey)
  return (
    <nav className="document-tabs" aria-label="Views">
      <ul>
        {tabs.map((tab) => {
          if (grouped && isOtherLayer(tab)) {
            if (tab.key !== firstLayer) return null
            return (
              <li key="party-layers" className="tab-choice">
                <label htmlFor="party-layer-choice" className="visually-hidden">
                  Party layer (read only)
                </label>
                <select
                  id="party-layer-choice"
                  className="document-tab"
                  aria-current={activeLayer ? 'page' : undefined}
                  value={activeLayer?.key ?? ''}
                  onChange={(event) => {
                    const chosen = layers.find((layer) => layer.key === event.target.value)
                    if (chosen) onOpen(chosen.route)
                  }}
                >
                  <option value="" disabled>
                    Party layers ({layers.length})
                  </option>
                  {layers.map((layer) => (
                    <option key={layer.key} value={layer.key}>
                      {layer.label} (read only)
                    </option>
                  ))}
                </select>
              </li>
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
