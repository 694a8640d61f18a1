import { Text } from "@shopify/polaris";

// A daily bar chart in plain SVG. Chosen over @shopify/polaris-viz (see docs/decisions/012): the home page
// needs four small 30-bar series, and polaris-viz measures the DOM on mount (blank on the server render)
// and adds react-spring and d3 to the admin bundle.

export interface BarChartProps {
  label: string;
  points: Array<{ day: string; value: number }>;
  format: (value: number) => string;
  height?: number;
}

export function BarChart({ label, points, format, height = 72 }: BarChartProps) {
  const max = Math.max(1, ...points.map((p) => p.value));
  const barWidth = 100 / Math.max(1, points.length);
  const busiest = points.reduce((best, p) => (p.value > best.value ? p : best), points[0] ?? { day: "", value: 0 });
  return (
    <figure style={{ margin: 0 }}>
      <svg
        role="img"
        aria-label={`${label}, daily over ${points.length} days; highest ${format(busiest.value)} on ${busiest.day}`}
        viewBox={`0 0 100 ${height}`}
        preserveAspectRatio="none"
        width="100%"
        height={height}
      >
        {points.map((point, index) => {
          const barHeight = (point.value / max) * (height - 2);
          return (
            <rect
              key={point.day}
              x={index * barWidth + barWidth * 0.15}
              y={height - barHeight}
              width={barWidth * 0.7}
              height={Math.max(barHeight, point.value > 0 ? 1 : 0.5)}
              rx={0.6}
              fill={point.value > 0 ? "var(--p-color-bg-fill-info-strong, #2c6ecb)" : "var(--p-color-border-secondary, #e3e3e3)"}
            >
              <title>{`${point.day}: ${format(point.value)}`}</title>
            </rect>
          );
        })}
      </svg>
      <figcaption style={{ display: "flex", justifyContent: "space-between" }}>
        <Text as="span" variant="bodyXs" tone="subdued">
          {points[0]?.day.slice(5)}
        </Text>
        <Text as="span" variant="bodyXs" tone="subdued">
          {points.at(-1)?.day.slice(5)}
        </Text>
      </figcaption>
    </figure>
  );
}
