/**
 * The camera panel: the frame's image, with the segmentation, the pixels stereo found flat, the
 * free-space boundary from the occupancy grid and the planned path drawn over it through the
 * camera's calibration.
 */
import { classColor, cssColor, speedColor } from './colors.js';
import { calibrationAt, egoPoseAt, frameInVehicle, frameInWorld, type DriveOverview } from './drive-overview.js';
import type { Calibration, PointCloudData, RawImageMsg } from './foxglove.js';
import { drawCloud, projectCloud, type ProjectedCloud } from './lidar-overlay.js';
import { freeSpaceBoundary } from './freespace.js';
import type { FrameData } from './frame-store.js';
import { compose } from './pose-math.js';
import { FrameProjector, type Pixel } from './projection.js';

export type CameraOverlay = 'segmentation' | 'stereoGround' | 'freeSpace' | 'planOverlay' | 'lidarOverlay';

/** Colour of the pixels the stereo check found flat like the road. */
const FLAT_COLOR: [number, number, number] = [40, 230, 120];

export class CameraPanel {
  readonly canvas = document.createElement('canvas');
  private ctx: CanvasRenderingContext2D;
  private overlays: Record<CameraOverlay, boolean> = { segmentation: false, stereoGround: false, freeSpace: true, planOverlay: true, lidarOverlay: false };
  private frame: FrameData | null = null;
  /** Painted mono8 overlays, by layer, for the message they show. */
  private painted = new Map<string, { source: RawImageMsg; canvas: HTMLCanvasElement }>();
  private lidarCache: { scan: PointCloudData; cloud: ProjectedCloud } | null = null;
  /** Why overlays cannot be drawn, shown once under the image. */
  private note = '';

  constructor(
    private readonly container: HTMLElement,
    private readonly overview: DriveOverview,
    private readonly status: HTMLElement,
  ) {
    this.canvas.className = 'camera-canvas';
    container.appendChild(this.canvas);
    this.ctx = this.canvas.getContext('2d')!;
    new ResizeObserver(() => this.draw()).observe(container);
  }

  setOverlay(name: CameraOverlay, on: boolean): void {
    this.overlays[name] = on;
    this.draw();
  }

  showFrame(frame: FrameData): void {
    this.frame = frame;
    this.draw();
  }

  private projector(calib: Calibration, t: bigint): FrameProjector | null {
    const ego = egoPoseAt(this.overview, t);
    const mount = frameInVehicle(this.overview, calib.frameId || this.overview.camera || '');
    if (!ego || !mount) {
      this.note = !mount ? `no transform base_link -> ${calib.frameId} in /tf_static: overlays off` : 'no ego pose: overlays off';
      return null;
    }
    return new FrameProjector(calib, ego, mount);
  }

  draw(): void {
    const f = this.frame;
    const ctx = this.ctx;
    const bitmap = f?.image?.value;
    const iw = bitmap?.width ?? 640;
    const ih = bitmap?.height ?? 360;
    const dpr = window.devicePixelRatio || 1;
    const cssW = Math.max(50, this.container.clientWidth);
    const cssH = Math.round((cssW * ih) / iw);
    if (this.canvas.width !== Math.round(cssW * dpr) || this.canvas.height !== Math.round(cssH * dpr)) {
      this.canvas.width = Math.round(cssW * dpr);
      this.canvas.height = Math.round(cssH * dpr);
      this.canvas.style.height = `${cssH}px`;
    }
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = '#0b0d12';
    ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    this.note = '';
    if (!f || !bitmap) {
      ctx.fillStyle = '#8a93a6';
      ctx.font = `${14 * dpr}px system-ui, sans-serif`;
      ctx.fillText(f?.imageError ? `image: ${f.imageError}` : this.overview.layers.image ? 'no image at this time' : 'no camera in this log', 12 * dpr, 24 * dpr);
      this.status.textContent = '';
      return;
    }
    const s = this.canvas.width / iw;
    ctx.setTransform(s, 0, 0, s, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(bitmap, 0, 0);

    if (this.overlays.segmentation && f.segmentation) this.drawSegmentation(f.segmentation.value, iw, ih);
    if (this.overlays.stereoGround && f.stereoGround) this.drawFlat(f.stereoGround.value, iw, ih);
    const calib = calibrationAt(this.overview, f.t);
    if (calib && (this.overlays.freeSpace || this.overlays.planOverlay || this.overlays.lidarOverlay)) {
      // The calibration describes the image as stored; scale if a viewer-side size differs.
      const k = iw / calib.width;
      const c: Calibration = k === 1 ? calib : { ...calib, fx: calib.fx * k, fy: calib.fy * k, cx: (calib.cx + 0.5) * k - 0.5, cy: (calib.cy + 0.5) * k - 0.5, width: iw, height: ih };
      const projector = this.projector(c, f.t);
      if (projector) {
        // Pixel-centre convention: pixel (0,0) is centred at (0.5, 0.5) of the canvas.
        ctx.translate(0.5, 0.5);
        if (this.overlays.lidarOverlay) this.drawLidar(projector, f, s);
        if (this.overlays.freeSpace && f.grid) this.drawFreeSpace(projector, f, ih);
        if (this.overlays.planOverlay) this.drawPlan(projector, f, s);
      }
    }
    this.status.textContent = this.note;
  }

  /** The scan taken with this frame (within 60 ms), not an older one: it would not line up. */
  private drawLidar(projector: FrameProjector, f: FrameData, scale: number): void {
    const scan = f.lidar;
    if (!scan) return;
    const age = Number(f.t - scan.t) / 1e6;
    if (Math.abs(age) > 60) {
      this.note = `no lidar scan at this frame (last one ${(age / 1000).toFixed(2)} s earlier)`;
      return;
    }
    const mount = frameInVehicle(this.overview, scan.value.frameId);
    if (!mount) {
      this.note = `no transform base_link -> ${scan.value.frameId} in /tf_static: lidar overlay off`;
      return;
    }
    if (this.lidarCache?.scan !== scan.value) {
      this.lidarCache = {
        scan: scan.value,
        cloud: projectCloud(scan.value.positions, compose(mount, scan.value.pose), projector.cameraToVehicle, projector.calib),
      };
    }
    drawCloud(this.ctx, this.lidarCache.cloud, Math.max(0.8, 1.2 / scale));
  }

  /** The class map in the log's own class colours where it has them. */
  private drawSegmentation(seg: RawImageMsg, iw: number, ih: number): void {
    this.drawPalette('segmentation', seg, 0.45, iw, ih, () => {
      const lut = new Uint8Array(256 * 4);
      for (let i = 0; i < 256; i++) lut.set([...classColor(i).map((x) => Math.round(x * 255)), 255], i * 4);
      for (const c of this.overview.classes ?? []) if (c.id >= 0 && c.id < 256) lut.set(c.color, c.id * 4);
      return lut;
    });
  }

  /** The stereo mask: flat pixels tinted, the rest left as they are. */
  private drawFlat(mask: RawImageMsg, iw: number, ih: number): void {
    this.drawPalette('stereoGround', mask, 0.5, iw, ih, () => {
      const lut = new Uint8Array(256 * 4); // 0: transparent
      for (let i = 1; i < 256; i++) lut.set([...FLAT_COLOR, 255], i * 4);
      return lut;
    });
  }

  /**
   * A mono8 image over the camera image, each value painted with its RGBA from `palette()`
   * (4 bytes a value); the painted canvas is kept while the same message is shown.
   */
  private drawPalette(name: 'segmentation' | 'stereoGround', msg: RawImageMsg, alpha: number, iw: number, ih: number, palette: () => Uint8Array): void {
    let painted = this.painted.get(name);
    if (painted?.source !== msg) {
      const lut = palette();
      const c = document.createElement('canvas');
      c.width = msg.width;
      c.height = msg.height;
      const cctx = c.getContext('2d')!;
      const img = cctx.createImageData(msg.width, msg.height);
      for (let y = 0; y < msg.height; y++) {
        for (let x = 0; x < msg.width; x++) {
          const k = msg.data[y * msg.step + x]! * 4;
          img.data.set(lut.subarray(k, k + 4), (y * msg.width + x) * 4);
        }
      }
      cctx.putImageData(img, 0, 0);
      painted = { source: msg, canvas: c };
      this.painted.set(name, painted);
    }
    const ctx = this.ctx;
    ctx.save();
    ctx.globalAlpha = alpha;
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(painted.canvas, 0, 0, iw, ih);
    ctx.restore();
  }

  private drawFreeSpace(projector: FrameProjector, f: FrameData, ih: number): void {
    const grid = f.grid!;
    const gridFrame = frameInWorld(this.overview, grid.value.frameId, grid.t);
    if (!gridFrame) return;
    const cam = projector.cameraPosition();
    const fwd = projector.cameraForward();
    const boundary = freeSpaceBoundary(grid.value, compose(gridFrame, grid.value.pose), cam, Math.atan2(fwd.y, fwd.x), projector.halfFovX());
    const gz = this.overview.groundZ;
    const px = boundary
      .map((b) => ({ p: projector.projectGround(b.x, b.y, gz), stop: b.stop }))
      .filter((x): x is { p: Pixel; stop: typeof x.stop } => !!x.p);
    if (px.length < 2) return;
    const ctx = this.ctx;
    ctx.save();
    ctx.beginPath();
    ctx.moveTo(px[0]!.p.u, ih);
    for (const { p } of px) ctx.lineTo(p.u, Math.min(ih, p.v));
    ctx.lineTo(px[px.length - 1]!.p.u, ih);
    ctx.closePath();
    ctx.fillStyle = 'rgba(40, 220, 130, 0.22)';
    ctx.fill();
    ctx.lineWidth = 2;
    for (let i = 1; i < px.length; i++) {
      const a = px[i - 1]!;
      const b = px[i]!;
      ctx.strokeStyle = b.stop === 'occupied' ? 'rgba(255, 80, 60, 0.95)' : 'rgba(255, 210, 80, 0.85)';
      ctx.beginPath();
      ctx.moveTo(a.p.u, a.p.v);
      ctx.lineTo(b.p.u, b.p.v);
      ctx.stroke();
    }
    ctx.restore();
  }

  private drawPlan(projector: FrameProjector, f: FrameData, scale: number): void {
    const gz = this.overview.groundZ;
    let pts: { x: number; y: number; v: number | null }[] = [];
    let frameId = 'world';
    let t = f.t;
    if (f.trajectory && f.trajectory.value.points.length > 1) {
      pts = f.trajectory.value.points;
      frameId = f.trajectory.value.frameId;
      t = f.trajectory.t;
    } else if (f.plan && f.plan.value.points.length > 1) {
      pts = f.plan.value.points;
      frameId = f.plan.value.frameId;
      t = f.plan.t;
    } else return;
    const toWorld = frameInWorld(this.overview, frameId, t);
    if (!toWorld) return;
    const world = pts.map((p) => {
      if (frameId === 'world' || frameId === '') return { x: p.x, y: p.y, z: 0, v: p.v };
      const q = compose(toWorld, { position: { x: p.x, y: p.y, z: 0 }, orientation: { x: 0, y: 0, z: 0, w: 1 } }).position;
      return { ...q, v: p.v };
    });
    // Densify so a long straight segment bends correctly under lens distortion.
    const dense: { x: number; y: number; z: number; v: number | null }[] = [];
    for (let i = 0; i < world.length; i++) {
      const a = world[i]!;
      dense.push(a);
      const b = world[i + 1];
      if (!b) break;
      const steps = Math.min(20, Math.floor(Math.hypot(b.x - a.x, b.y - a.y) / 0.5));
      for (let k = 1; k < steps; k++) {
        const s = k / steps;
        dense.push({ x: a.x + (b.x - a.x) * s, y: a.y + (b.y - a.y) * s, z: 0, v: a.v });
      }
    }
    const ctx = this.ctx;
    ctx.save();
    ctx.lineCap = 'round';
    ctx.lineWidth = Math.max(2, 3.5 / scale);
    const px = dense.map((p) => projector.projectGround(p.x, p.y, gz));
    for (let i = 1; i < dense.length; i++) {
      const a = px[i - 1];
      const b = px[i];
      if (!a || !b) continue;
      const v = dense[i - 1]!.v;
      ctx.strokeStyle = v === null ? 'rgba(255,255,255,0.9)' : cssColor(speedColor(v), 0.95);
      ctx.beginPath();
      ctx.moveTo(a.u, a.v);
      ctx.lineTo(b.u, b.v);
      ctx.stroke();
    }
    ctx.restore();
  }
}
