// Chart.js behind a Preact component: only the parts used are registered (tree-shaken
// bundle). The canvas is an image for screen readers, labelled with what it shows; the same
// figures are reachable as buttons or tables next to every chart.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  LinearScale,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
Chart.defaults.color = '#374151';

type Props = {
  config: ChartConfiguration<'bar'>;
  label: string;
  height: number;
  /** Called with the index of the clicked bar. */
  onBarClick?: (index: number) => void;
  testId?: string;
};

/** A bar chart; re-renders when `config` changes (same chart object, new data). */
export function BarChart({ config, label, height, onBarClick, testId }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart<'bar'> | null>(null);
  const click = useRef(onBarClick);
  click.current = onBarClick;

  useEffect(() => {
    const c = new Chart(canvas.current!, {
      ...config,
      options: {
        ...config.options,
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        onClick: (_event, elements) => {
          const index = elements[0]?.index;
          if (index !== undefined) click.current?.(index);
        },
        onHover: (event, elements) => {
          const target = event.native?.target as HTMLElement | undefined;
          if (target) target.style.cursor = elements.length && click.current ? 'pointer' : 'default';
        },
      },
    });
    chart.current = c;
    return () => {
      c.destroy();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    c.data = config.data;
    c.update();
    // Where each bar is drawn, for tests that click a bar like a person does.
    canvas.current!.dataset.bars = JSON.stringify(c.getDatasetMeta(0).data.map((bar) => [Math.round(bar.x), Math.round(bar.y)]));
  }, [config]);

  return (
    <div class="chart" style={{ height: `${height}px` }}>
      <canvas ref={canvas} role="img" aria-label={label} data-testid={testId} />
    </div>
  );
}
