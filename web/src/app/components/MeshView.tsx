// The room as a small graph: members around a circle, a line for each pair (solid: direct, dashed:
// through the server, dotted: not yet), round-trip times on the lines while there are few enough
// to read. Shown on request ("Connections"), with the same facts as a list for screen readers.
import type { Mesh } from '../models/mesh';
import { describeEdge } from '../models/mesh';

export interface MeshViewProps {
  readonly mesh: Mesh;
}

const WIDTH = 320;
const HEIGHT = 200;
/** Above this many lines, times go to the list and the lines' tooltips only: they would overlap. */
const MAX_LABELLED = 6;

export function MeshView({ mesh }: MeshViewProps) {
  const { nodes, edges } = mesh;
  const names = new Map(nodes.map((n) => [n.id, n.name]));
  const nameOf = (id: string) => names.get(id) ?? id;
  // Around an ellipse, the oldest member at the top, clockwise in join order.
  const at = new Map(
    nodes.map((n, i) => {
      const angle = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(nodes.length, 1);
      const r = nodes.length === 1 ? 0 : 1;
      return [n.id, { x: WIDTH / 2 + r * (WIDTH / 2 - 48) * Math.cos(angle), y: HEIGHT / 2 + r * (HEIGHT / 2 - 28) * Math.sin(angle) }];
    }),
  );
  const labelled = edges.length <= MAX_LABELLED;

  return (
    <details class="mesh" data-testid="mesh">
      <summary>Connections</summary>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby="mesh-title" class="mesh-graph">
        <title id="mesh-title">Who reaches whom in this room</title>
        {edges.map((e) => {
          const p = at.get(e.a)!;
          const q = at.get(e.b)!;
          const kind = e.transport ?? 'none';
          return (
            <g key={`${e.a}-${e.b}`} class={`mesh-edge mesh-${kind}`} data-testid="mesh-edge" data-a={e.a} data-b={e.b} data-transport={kind}>
              <title>{describeEdge(e, nameOf)}</title>
              <line x1={p.x} y1={p.y} x2={q.x} y2={q.y} />
              {labelled && e.transport && e.rttMs !== null && (
                <text x={(p.x + q.x) / 2} y={(p.y + q.y) / 2 - 4} text-anchor="middle">
                  {e.rttMs} ms
                </text>
              )}
            </g>
          );
        })}
        {nodes.map((n) => {
          const p = at.get(n.id)!;
          return (
            <g key={n.id} class={`mesh-node${n.self ? ' self' : ''}${n.away ? ' away' : ''}`}>
              <circle cx={p.x} cy={p.y} r={14} />
              <text x={p.x} y={p.y + 4} text-anchor="middle" class="mesh-initial">
                {([...n.name.trim()][0] ?? '?').toUpperCase()}
              </text>
              <text x={p.x} y={p.y + 28} text-anchor="middle" class="mesh-name">
                {n.name.length > 12 ? `${n.name.slice(0, 11)}…` : n.name}
              </text>
            </g>
          );
        })}
      </svg>
      <ul class="sr-only">
        {edges.map((e) => (
          <li key={`${e.a}-${e.b}`}>{describeEdge(e, nameOf)}</li>
        ))}
      </ul>
      <p class="mesh-legend" aria-hidden="true">
        <span class="mesh-key mesh-direct">direct</span>
        <span class="mesh-key mesh-relay">via server</span>
        <span class="mesh-key mesh-none">connecting</span>
      </p>
    </details>
  );
}
