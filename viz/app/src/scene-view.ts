/**
 * The 3D view: ground, ego car, driven trajectory, occupancy grid texture, planned path by speed,
 * lidar points; follow / top-down / orbit cameras. World frame = the log's world frame, z up.
 * Renders only when something changed, and records how long each render takes.
 */
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { gridToRgba, speedColor } from './colors.js';
import type { DriveOverview } from './drive-overview.js';
import { frameInWorld, indexAtOrBefore } from './drive-overview.js';
import type { GridLayerData, PointCloudData } from './foxglove.js';
import type { FrameData } from './frame-store.js';
import { compose, transformPoint, yawOf, type Pose } from './pose-math.js';
import { buildRibbon, type RibbonPoint } from './ribbon.js';

export type CameraMode = 'follow' | 'top' | 'orbit';
export type SceneLayer = 'grid' | 'groundTruthGrid' | 'plan' | 'trajectory' | 'lidar' | 'ego';

const PAST = [0.85, 0.88, 1.0];
const FUTURE = [0.3, 0.34, 0.45];
const CAR = { length: 4.5, width: 1.8, height: 1.5, rearOverhang: 1.0 };

function applyPose(obj: THREE.Object3D, pose: Pose): void {
  obj.position.set(pose.position.x, pose.position.y, pose.position.z);
  obj.quaternion.set(pose.orientation.x, pose.orientation.y, pose.orientation.z, pose.orientation.w);
}

class GridMesh {
  readonly mesh: THREE.Mesh<THREE.PlaneGeometry, THREE.MeshBasicMaterial>;
  private texture: THREE.DataTexture | null = null;
  private shown: GridLayerData | null = null;

  constructor(private readonly lift: number) {
    this.mesh = new THREE.Mesh(
      new THREE.PlaneGeometry(1, 1),
      new THREE.MeshBasicMaterial({ transparent: true, depthWrite: false, side: THREE.DoubleSide }),
    );
    this.mesh.renderOrder = 1;
    this.mesh.visible = false;
  }

  show(grid: GridLayerData | null, gridPose: Pose | null): void {
    if (!grid || !gridPose) {
      this.mesh.visible = false;
      return;
    }
    if (grid !== this.shown) {
      const w = grid.cols;
      const h = grid.rows;
      if (!this.texture || this.texture.image.width !== w || this.texture.image.height !== h) {
        this.texture?.dispose();
        this.texture = new THREE.DataTexture(new Uint8Array(w * h * 4), w, h, THREE.RGBAFormat);
        this.texture.magFilter = THREE.NearestFilter;
        this.texture.minFilter = THREE.LinearFilter;
        this.mesh.material.map = this.texture;
        this.mesh.material.needsUpdate = true;
      }
      gridToRgba(grid.logOdds, this.texture.image.data as Uint8Array);
      this.texture.needsUpdate = true;
      // Plane from (0,0) to (w*cell, h*cell): texel row 0 at the origin edge, as in the grid.
      const geo = new THREE.PlaneGeometry(w * grid.cellX, h * grid.cellY);
      geo.translate((w * grid.cellX) / 2, (h * grid.cellY) / 2, this.lift);
      this.mesh.geometry.dispose();
      this.mesh.geometry = geo;
      this.shown = grid;
    }
    applyPose(this.mesh, gridPose);
    this.mesh.visible = true;
  }
}

export class SceneView {
  readonly renderer: THREE.WebGLRenderer;
  readonly scene = new THREE.Scene();
  readonly camera = new THREE.PerspectiveCamera(50, 1, 0.1, 3000);
  private controls: OrbitControls;
  private mode: CameraMode = 'follow';
  private dirty = true;
  private ego = new THREE.Group();
  private groundGrid: THREE.GridHelper;
  private ground: THREE.Mesh;
  private trajectory = new THREE.Mesh(new THREE.BufferGeometry(), new THREE.MeshBasicMaterial({ vertexColors: true, side: THREE.DoubleSide }));
  private trajectoryPoints: RibbonPoint[] = [];
  private trajectoryTimes: bigint[] = [];
  /** Number of trajectory points coloured as driven. */
  private trajectoryPast = 0;
  private plan = new THREE.Mesh(
    new THREE.BufferGeometry(),
    new THREE.MeshBasicMaterial({ vertexColors: true, side: THREE.DoubleSide, depthTest: false }),
  );
  private grid = new GridMesh(0.03);
  private gtGrid = new GridMesh(0.015);
  private lidar = new THREE.Points(new THREE.BufferGeometry(), new THREE.PointsMaterial({ size: 0.12, vertexColors: true }));
  private lidarShown: PointCloudData | null = null;
  private visible: Record<SceneLayer, boolean> = { grid: true, groundTruthGrid: false, plan: true, trajectory: true, lidar: true, ego: true };
  private egoPose: Pose | null = null;
  private lastEgoPosition: THREE.Vector3 | null = null;
  private frame: FrameData | null = null;
  private renderMs: number[] = [];
  private onRendered: (() => void)[] = [];

  constructor(
    private readonly container: HTMLElement,
    private readonly overview: DriveOverview,
  ) {
    this.renderer = new THREE.WebGLRenderer({ antialias: true, preserveDrawingBuffer: false });
    this.renderer.setPixelRatio(Math.min(2, window.devicePixelRatio || 1));
    this.renderer.setClearColor(0x10131a);
    container.appendChild(this.renderer.domElement);
    this.camera.up.set(0, 0, 1);

    this.scene.add(new THREE.HemisphereLight(0xdde6ff, 0x202020, 2.2));
    const sun = new THREE.DirectionalLight(0xffffff, 1.5);
    sun.position.set(30, -20, 60);
    this.scene.add(sun);

    const groundZ = (overview.egoPoses[0]?.value.position.z ?? 0) + overview.groundZ;
    this.ground = new THREE.Mesh(new THREE.PlaneGeometry(4000, 4000), new THREE.MeshBasicMaterial({ color: 0x14171e }));
    this.ground.position.z = groundZ - 0.05;
    // Drawn first and without depth, so points below the assumed road (lidar ground returns of a
    // vehicle frame that is not on the road) still show.
    this.ground.renderOrder = -2;
    (this.ground.material as THREE.Material).depthWrite = false;
    this.scene.add(this.ground);
    this.groundGrid = new THREE.GridHelper(400, 40, 0x3a4152, 0x262b36);
    this.groundGrid.rotation.x = Math.PI / 2;
    this.groundGrid.position.z = groundZ - 0.04;
    this.groundGrid.renderOrder = -1;
    (this.groundGrid.material as THREE.Material).depthWrite = false;
    this.scene.add(this.groundGrid);

    this.buildEgo();
    this.scene.add(this.ego, this.trajectory, this.plan, this.grid.mesh, this.gtGrid.mesh, this.lidar);
    this.plan.renderOrder = 3;
    this.buildTrajectory();

    this.controls = new OrbitControls(this.camera, this.renderer.domElement);
    this.controls.enableDamping = false;
    this.controls.enabled = false;
    this.controls.addEventListener('change', () => this.requestRender());

    new ResizeObserver(() => this.resize()).observe(container);
    this.resize();
    const loop = () => {
      requestAnimationFrame(loop);
      if (this.dirty) this.renderNow();
    };
    requestAnimationFrame(loop);
  }

  /** Render at once (a new frame should not wait for the next animation frame to be drawn). */
  renderNow(): void {
    this.dirty = false;
    const t0 = performance.now();
    this.renderer.render(this.scene, this.camera);
    this.renderMs.push(performance.now() - t0);
    if (this.renderMs.length > 600) this.renderMs.splice(0, this.renderMs.length - 600);
    const waiting = this.onRendered;
    this.onRendered = [];
    for (const f of waiting) f();
  }

  private buildEgo(): void {
    const body = new THREE.Mesh(
      new THREE.BoxGeometry(CAR.length, CAR.width, CAR.height * 0.55),
      new THREE.MeshStandardMaterial({ color: 0x2f7de1, roughness: 0.5, metalness: 0.2 }),
    );
    body.position.set(CAR.length / 2 - CAR.rearOverhang, 0, this.overview.groundZ + CAR.height * 0.3);
    const cabin = new THREE.Mesh(
      new THREE.BoxGeometry(CAR.length * 0.5, CAR.width * 0.9, CAR.height * 0.45),
      new THREE.MeshStandardMaterial({ color: 0xb8d4ff, roughness: 0.3 }),
    );
    cabin.position.set(CAR.length / 2 - CAR.rearOverhang - 0.3, 0, this.overview.groundZ + CAR.height * 0.78);
    const nose = new THREE.Mesh(new THREE.ConeGeometry(0.5, 1.2, 12), new THREE.MeshBasicMaterial({ color: 0xffd166 }));
    nose.rotation.z = -Math.PI / 2;
    nose.position.set(CAR.length - CAR.rearOverhang + 0.8, 0, this.overview.groundZ + 0.3);
    this.ego.add(body, cabin, nose);
    this.ego.visible = false;
  }

  private buildTrajectory(): void {
    const lift = this.overview.groundZ + 0.05;
    this.trajectoryPoints = this.overview.egoPoses.map((p) => ({ x: p.value.position.x, y: p.value.position.y, z: p.value.position.z + lift }));
    this.trajectoryTimes = this.overview.egoPoses.map((p) => p.t);
    this.colorTrajectory(null);
  }

  /**
   * Driven path: bright behind the car, dim ahead of it. The ribbon is built once; a new frame
   * only rewrites the colours of the vertices whose side of the car changed.
   */
  private colorTrajectory(t: bigint | null): void {
    const n = this.trajectoryPoints.length;
    const past = t === null ? n : indexAtOrBefore(this.trajectoryTimes, t) + 1;
    const attr = this.trajectory.geometry.getAttribute('color') as THREE.BufferAttribute | undefined;
    if (!attr) {
      const colors = new Float32Array(n * 3);
      for (let i = 0; i < n; i++) colors.set(i < past ? PAST : FUTURE, i * 3);
      buildRibbon(this.trajectory.geometry, this.trajectoryPoints, colors, 0.35);
      this.trajectoryPast = past;
      return;
    }
    if (past === this.trajectoryPast) return;
    const a = attr.array as Float32Array;
    const [lo, hi] = past < this.trajectoryPast ? [past, this.trajectoryPast] : [this.trajectoryPast, past];
    for (let i = lo; i < hi; i++) {
      const c = i < past ? PAST : FUTURE;
      a.set(c, i * 6);
      a.set(c, i * 6 + 3);
    }
    attr.needsUpdate = true;
    this.trajectoryPast = past;
  }

  private resize(): void {
    const w = Math.max(1, this.container.clientWidth);
    const h = Math.max(1, this.container.clientHeight);
    this.renderer.setSize(w, h, false);
    this.renderer.domElement.style.width = '100%';
    this.renderer.domElement.style.height = '100%';
    this.camera.aspect = w / h;
    this.camera.updateProjectionMatrix();
    this.requestRender();
  }

  requestRender(): void {
    this.dirty = true;
  }

  /** Resolves after the next render has been issued. */
  rendered(): Promise<void> {
    this.requestRender();
    return new Promise((r) => this.onRendered.push(r));
  }

  setCameraMode(mode: CameraMode): void {
    this.mode = mode;
    this.controls.enabled = mode === 'orbit';
    if (mode === 'orbit' && this.egoPose) {
      const p = this.egoPose.position;
      this.controls.target.set(p.x, p.y, p.z);
      this.camera.up.set(0, 0, 1);
      this.placeCamera(true);
      this.controls.update();
    } else this.placeCamera(true);
    this.requestRender();
  }

  getCameraMode(): CameraMode {
    return this.mode;
  }

  setLayerVisible(layer: SceneLayer, on: boolean): void {
    this.visible[layer] = on;
    this.applyFrame();
  }

  /** Recent render times in milliseconds (CPU side of renderer.render). */
  renderTimes(): number[] {
    return [...this.renderMs];
  }

  showFrame(frame: FrameData, egoPose: Pose | null): void {
    this.frame = frame;
    this.egoPose = egoPose;
    this.applyFrame();
    this.placeCamera(false);
  }

  private applyFrame(): void {
    const f = this.frame;
    const o = this.overview;
    this.ego.visible = this.visible.ego && !!this.egoPose;
    if (this.egoPose) applyPose(this.ego, this.egoPose);
    this.trajectory.visible = this.visible.trajectory && this.trajectoryPoints.length > 1;
    if (this.trajectory.visible && f) this.colorTrajectory(f.t);

    // Grids are 2D maps of the road: draw them on the road under the car (the log's grid plane
    // z is the world frame's, which need not be the road's).
    const roadZ = this.egoPose ? this.egoPose.position.z + o.groundZ : 0;
    const gridPose = (g: { t: bigint; value: GridLayerData } | null): Pose | null => {
      const frame = g ? frameInWorld(o, g.value.frameId, g.t) : null;
      if (!g || !frame) return null;
      const p = compose(frame, g.value.pose);
      return { position: { ...p.position, z: roadZ }, orientation: p.orientation };
    };
    this.grid.show(this.visible.grid && f?.grid ? f.grid.value : null, f?.grid ? gridPose(f.grid) : null);
    this.gtGrid.show(
      this.visible.groundTruthGrid && f?.groundTruthGrid ? f.groundTruthGrid.value : null,
      f?.groundTruthGrid ? gridPose(f.groundTruthGrid) : null,
    );
    this.showPlan(f);
    this.showLidar(f);
    if (this.egoPose) {
      // Keep the ground grid under the car without visible jumps (snap to its 10 m cells).
      this.groundGrid.position.x = Math.round(this.egoPose.position.x / 10) * 10;
      this.groundGrid.position.y = Math.round(this.egoPose.position.y / 10) * 10;
      this.ground.position.x = this.egoPose.position.x;
      this.ground.position.y = this.egoPose.position.y;
    }
    this.requestRender();
  }

  private showPlan(f: FrameData | null): void {
    this.plan.visible = false;
    if (!this.visible.plan || !f) return;
    const lift = 0.12;
    let points: RibbonPoint[] = [];
    let colors: Float32Array;
    let frameId = 'world';
    let t = f.t;
    if (f.trajectory && f.trajectory.value.points.length > 1) {
      const tr = f.trajectory.value;
      frameId = tr.frameId;
      t = f.trajectory.t;
      const z = (this.egoPose?.position.z ?? 0) + this.overview.groundZ + lift;
      points = tr.points.map((p) => ({ x: p.x, y: p.y, z }));
      colors = new Float32Array(points.length * 3);
      tr.points.forEach((p, i) => colors.set(speedColor(p.v), i * 3));
    } else if (f.plan && f.plan.value.points.length > 1) {
      frameId = f.plan.value.frameId;
      t = f.plan.t;
      const z = (this.egoPose?.position.z ?? 0) + this.overview.groundZ + lift;
      points = f.plan.value.points.map((p) => ({ x: p.x, y: p.y, z }));
      colors = new Float32Array(points.length * 3).fill(0.95);
    } else return;
    const toWorld = frameInWorld(this.overview, frameId, t);
    if (!toWorld) return;
    if (frameId !== 'world' && frameId !== '') points = points.map((p) => ({ ...transformPoint(toWorld, { x: p.x, y: p.y, z: 0 }), z: p.z }));
    buildRibbon(this.plan.geometry, points, colors, 0.6);
    this.plan.visible = true;
  }

  private showLidar(f: FrameData | null): void {
    this.lidar.visible = false;
    if (!this.visible.lidar || !f?.lidar) return;
    const cloud = f.lidar.value;
    const sensorPose = frameInWorld(this.overview, cloud.frameId, f.lidar.t);
    if (!sensorPose) return;
    if (cloud !== this.lidarShown) {
      const n = cloud.positions.length / 3;
      const colors = new Float32Array(n * 3);
      for (let i = 0; i < n; i++) {
        // Height above the sensor's ground (about -1.7 m for a roof lidar): blue low, yellow high.
        const z = cloud.positions[i * 3 + 2]!;
        const c = speedColor(Math.max(0, z + 2.2) * 4);
        colors[i * 3] = c[0];
        colors[i * 3 + 1] = c[1];
        colors[i * 3 + 2] = c[2];
      }
      const geo = new THREE.BufferGeometry();
      geo.setAttribute('position', new THREE.BufferAttribute(cloud.positions, 3));
      geo.setAttribute('color', new THREE.BufferAttribute(colors, 3));
      this.lidar.geometry.dispose();
      this.lidar.geometry = geo;
      this.lidarShown = cloud;
    }
    applyPose(this.lidar, compose(sensorPose, cloud.pose));
    this.lidar.visible = true;
  }

  private placeCamera(reset: boolean): void {
    if (!this.egoPose) return;
    const p = this.egoPose.position;
    const yaw = yawOf(this.egoPose.orientation);
    const here = new THREE.Vector3(p.x, p.y, p.z);
    const flat: Pose = { position: p, orientation: { x: 0, y: 0, z: Math.sin(yaw / 2), w: Math.cos(yaw / 2) } };
    if (this.mode === 'follow') {
      const eye = transformPoint(flat, { x: -13, y: 0, z: 7 });
      const look = transformPoint(flat, { x: 12, y: 0, z: 0 });
      this.camera.up.set(0, 0, 1);
      this.camera.position.set(eye.x, eye.y, eye.z);
      this.camera.lookAt(look.x, look.y, look.z);
    } else if (this.mode === 'top') {
      const look = transformPoint(flat, { x: 12, y: 0, z: 0 });
      this.camera.position.set(look.x, look.y, look.z + 75);
      // Heading points up the screen.
      this.camera.up.set(Math.cos(yaw), Math.sin(yaw), 0);
      this.camera.lookAt(look.x, look.y, look.z);
    } else {
      if (reset || !this.lastEgoPosition) {
        const eye = transformPoint(flat, { x: -25, y: -25, z: 25 });
        this.camera.position.set(eye.x, eye.y, eye.z);
        this.controls.target.copy(here);
      } else {
        const d = here.clone().sub(this.lastEgoPosition);
        this.camera.position.add(d);
        this.controls.target.add(d);
      }
      this.controls.update();
    }
    this.lastEgoPosition = here;
    this.requestRender();
  }
}
