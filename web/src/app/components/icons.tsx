// Small inline icons: no emoji, whose glyphs depend on the fonts a system has (a headless or
// minimal Linux shows empty boxes). Decorative: always next to text or an aria-label.
const common = { width: 16, height: 16, viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', 'stroke-width': 2, 'stroke-linecap': 'round', 'stroke-linejoin': 'round', 'aria-hidden': 'true', class: 'icon' } as const;

export const PaperclipIcon = () => (
  <svg {...common}>
    <path d="M21 11.5 12.5 20a5 5 0 0 1-7-7l8.5-8.5a3.5 3.5 0 0 1 5 5L10.5 18a2 2 0 0 1-3-3l7.5-7.5" />
  </svg>
);

export const FileIcon = () => (
  <svg {...common}>
    <path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z" />
    <path d="M14 3v5h5" />
  </svg>
);

export const BellIcon = ({ off = false }: { off?: boolean }) => (
  <svg {...common}>
    <path d="M6 16V11a6 6 0 0 1 12 0v5l1.5 2h-15z" />
    <path d="M10 20a2 2 0 0 0 4 0" />
    {off && <path d="M4 4l16 16" />}
  </svg>
);
