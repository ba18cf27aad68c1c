/** Layer toggles and camera mode buttons. Layers the log lacks are listed as absent, not hidden. */
import { cssColor, speedColor } from './colors.js';
import type { CameraMode } from './scene-view.js';

export interface LayerToggle {
  id: string;
  label: string;
  available: boolean;
  on: boolean;
  /** Shown when the layer is not available. */
  absentReason?: string;
}

export function renderLayerPanel(
  root: HTMLElement,
  toggles: LayerToggle[],
  onToggle: (id: string, on: boolean) => void,
  mode: CameraMode,
  onMode: (m: CameraMode) => void,
): void {
  root.innerHTML = '';
  const modes = document.createElement('div');
  modes.className = 'camera-modes';
  const modeNames: [CameraMode, string][] = [
    ['follow', 'Follow'],
    ['top', 'Top-down'],
    ['orbit', 'Orbit'],
  ];
  for (const [m, label] of modeNames) {
    const b = document.createElement('button');
    b.textContent = label;
    b.dataset.mode = m;
    b.className = m === mode ? 'active' : '';
    b.addEventListener('click', () => {
      for (const x of modes.querySelectorAll('button')) x.classList.toggle('active', x === b);
      onMode(m);
    });
    modes.appendChild(b);
  }
  root.appendChild(modes);
  for (const t of toggles) {
    const label = document.createElement('label');
    label.className = t.available ? 'layer' : 'layer absent';
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.dataset.layer = t.id;
    box.checked = t.available && t.on;
    box.disabled = !t.available;
    box.addEventListener('change', () => onToggle(t.id, box.checked));
    label.append(box, document.createTextNode(` ${t.label}`));
    if (!t.available) {
      const why = document.createElement('span');
      why.className = 'absent-reason';
      why.textContent = ` (${t.absentReason ?? 'not in log'})`;
      label.appendChild(why);
    }
    root.appendChild(label);
  }
  const legend = document.createElement('div');
  legend.className = 'legend';
  const speed = [0, 4, 8, 12, 15].map((v) => cssColor(speedColor(v))).join(', ');
  legend.innerHTML = `
    <div><span class="swatch" style="background:rgb(40,200,120)"></span>free
      <span class="swatch" style="background:rgb(240,70,50)"></span>occupied
      <span class="swatch" style="background:rgb(120,124,140)"></span>unknown</div>
    <div>plan speed <span class="ramp" style="background:linear-gradient(90deg, ${speed})"></span> 0 to 15 m/s
      <span class="swatch" style="background:${cssColor(speedColor(-1))}"></span>reverse</div>`;
  root.appendChild(legend);
}
