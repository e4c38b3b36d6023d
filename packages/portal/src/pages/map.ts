import { datastoreSearch, resourceDownloadPath, type DatasetRecord, type DomainContext } from '@hro/api/domain';
import { formatInteger } from './format.js';
import { html, type SafeHtml } from './html.js';

/**
 * The map preview of a geo dataset: Leaflet (served by us) draws the dataset's own GeoJSON
 * download on a plain background, or on the tiles of HRO_MAP_TILE_URL when configured. The
 * features are listed beside the map — the text alternative — each with a button that shows it
 * on the map, so the map is usable with the keyboard alone (Leaflet adds arrow keys and +/−).
 */
export const MAP_SCRIPTS = ['/static/leaflet/leaflet.js', '/static/map.js'];
export const MAP_STYLES = ['/static/leaflet/leaflet.css'];

/** At most this many features are listed (the map draws them all). */
const LISTED = 500;
const labelColumns = ['bezeichnung', 'name', 'titel', 'title'];
const keyColumns = ['code', 'nummer', 'key', 'uuid'];

export function isGeoDataset(d: DatasetRecord): boolean {
  return d.resources.some((r) => r.format.toLowerCase() === 'geojson');
}

export async function mapSection(
  ctx: DomainContext,
  dataset: DatasetRecord,
  fields: string[],
  tileUrl: string | undefined,
): Promise<SafeHtml | undefined> {
  const geo = dataset.resources.find((r) => r.format.toLowerCase() === 'geojson');
  const tabular = dataset.resources.find((r) => r.datastoreActive);
  if (!geo || !tabular) return undefined;
  const label = labelColumns.find((c) => fields.includes(c));
  const key = keyColumns.find((c) => fields.includes(c));
  // features are matched between the list and the GeoJSON by this property
  const match = fields.includes('uuid') ? 'uuid' : key;
  const columns = [...new Set([match, key, label].filter((c): c is string => c !== undefined))];
  let features: Record<string, unknown>[] = [];
  let total = 0;
  if (columns.length > 0) {
    const { result } = await datastoreSearch(ctx, {
      resource_id: tabular.id,
      fields: columns,
      limit: LISTED,
      sort: [`"${label ?? key ?? columns[0]}" asc`],
    });
    features = result.records as Record<string, unknown>[];
    total = Number(result.total ?? features.length);
  }
  const geojsonUrl = `${resourceDownloadPath(dataset.name, geo.id)}?format=geojson`;
  const nameOf = (f: Record<string, unknown>) =>
    [key && key !== label ? f[key] : undefined, label ? f[label] : undefined]
      .filter((v) => v !== undefined && v !== null && v !== '')
      .join(' – ') || 'ohne Bezeichnung';
  return html`<section id="karte-abschnitt" aria-labelledby="karte-titel">
    <h2 id="karte-titel">Karte</h2>
    <p id="karte-hilfe">
      Die Karte zeigt die ${formatInteger(total)} Objekte des Datensatzes. Mit der Tabulatortaste erreichen Sie die Karte; dann verschieben
      die Pfeiltasten den Ausschnitt, Plus und Minus zoomen. Die Liste unter der Karte nennt alle Objekte; „Auf der Karte zeigen“ wählt
      eines aus.
    </p>
    <div
      id="karte"
      class="map"
      role="region"
      aria-label="Karte: ${dataset.title}"
      aria-describedby="karte-hilfe"
      data-geojson="${geojsonUrl}"
      data-match="${match ?? ''}"
      data-label="${label ?? key ?? ''}"
      data-tile-url="${tileUrl ?? ''}"
    >
      <p class="map-fallback">Die Karte braucht JavaScript; die Liste der Objekte steht unten.</p>
    </div>
    <p id="karte-auswahl" class="map-status" role="status" aria-live="polite"></p>
    <h3 id="objekte-titel">Objekte (${formatInteger(total)})</h3>
    ${total > features.length && html`<p>Die ersten ${formatInteger(features.length)} sind aufgeführt; die Downloads enthalten alle.</p>`}
    <ul class="feature-list" aria-labelledby="objekte-titel">
      ${features.map(
        (f) =>
          html`<li>
            <span>${nameOf(f)}</span>
            ${
              match &&
              html`<button type="button" class="link-button" data-feature="${String(f[match] as string)}" hidden>
                Auf der Karte zeigen<span class="visually-hidden">: ${nameOf(f)}</span>
              </button>`
            }
          </li>`,
      )}
    </ul>
  </section>`;
}
