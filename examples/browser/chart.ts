/** The live loss chart: a line on a log scale, redrawn as each step's loss arrives. */

const PAD = { left: 56, right: 16, top: 16, bottom: 32 };

export function drawLossChart(canvas: HTMLCanvasElement, losses: readonly number[], steps: number): void {
  const g = canvas.getContext('2d');
  if (!g) return;
  const { width, height } = canvas;
  g.clearRect(0, 0, width, height);
  g.font = '12px sans-serif';
  g.fillStyle = '#374151';
  g.strokeStyle = '#d1d5db';
  const plotW = width - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  g.strokeRect(PAD.left, PAD.top, plotW, plotH);
  if (losses.length === 0) return;
  const logs = losses.map((l) => Math.log10(Math.max(l, 1e-12)));
  const hi = Math.ceil(Math.max(...logs));
  const lo = Math.min(Math.floor(Math.min(...logs)), hi - 1);
  const x = (i: number) => PAD.left + (plotW * i) / Math.max(steps - 1, 1);
  const y = (v: number) => PAD.top + (plotH * (hi - v)) / (hi - lo);
  for (let d = lo; d <= hi; d++) {
    g.fillText(`1e${d}`, 8, y(d) + 4);
    g.beginPath();
    g.moveTo(PAD.left, y(d));
    g.lineTo(PAD.left + plotW, y(d));
    g.stroke();
  }
  g.fillText('step', PAD.left + plotW / 2 - 12, height - 8);
  g.fillText(String(steps), PAD.left + plotW - 20, height - 18);
  g.strokeStyle = '#2563eb';
  g.lineWidth = 2;
  g.beginPath();
  logs.forEach((v, i) => (i === 0 ? g.moveTo(x(i), y(v)) : g.lineTo(x(i), y(v))));
  g.stroke();
  g.lineWidth = 1;
}
