"""Train the CamVid segmenter on CPU with a wall-clock budget.

  /usr/bin/python3 models/recipe/train.py --minutes 75 --out /tmp/grokdrive-train

Fine-tuning on CamVid plus the project's synthetic frames (see models/camvid-dsnet.md):

  /usr/bin/python3 models/recipe/train.py --init /tmp/grokdrive-train/best.pt --lr 1e-3 \
      --extra /tmp/synth/train --extra-share 0.25 --extra-val /tmp/synth/val --out /tmp/ft

The learning-rate schedule (linear warm-up, then cosine to zero) runs on the fraction of the
time budget spent, so training ends annealed whatever the machine's speed. The best-on-val
checkpoint is saved as <out>/best.pt whenever val mIoU improves; export.py turns it into ONNX.
Seeded (--seed); with threads shared with other jobs the exact figures still vary slightly.
"""
import argparse
import math
import os
import random
import time

import numpy as np
import torch
import torch.nn.functional as F

import data
import model as model_lib

p = argparse.ArgumentParser()
p.add_argument('--minutes', type=float, default=75)
p.add_argument('--out', default='/tmp/grokdrive-train')
p.add_argument('--width', type=float, default=1.0)
p.add_argument('--batch', type=int, default=8)
p.add_argument('--lr', type=float, default=3e-3)
p.add_argument('--wd', type=float, default=1e-2)
p.add_argument('--input', default='256x192', help='model input WxH')
p.add_argument('--crop', default='224x160', help='training crop WxH (fully convolutional: smaller crops, more steps)')
p.add_argument('--eval-every', type=float, default=150, help='seconds between val evaluations')
p.add_argument('--threads', type=int, default=2)
p.add_argument('--seed', type=int, default=0)
p.add_argument('--init', help='start from this checkpoint (its weights, width and normalisation)')
p.add_argument('--extra', help='another split dir in CamVid layout to train on (e.g. synthetic frames)')
p.add_argument('--extra-share', type=float, default=0.25, help='fraction of each batch drawn from --extra')
p.add_argument('--extra-val', help='split dir scored at every evaluation too (reported, not used to select)')
p.add_argument('--teacher', help='distil from this checkpoint (e.g. a higher-resolution model): it sees each crop at its own scale')
p.add_argument('--distill-weight', type=float, default=1.0, help='weight of the teacher term (KL at temperature --distill-t, times t^2)')
p.add_argument('--distill-t', type=float, default=2.0)
args = p.parse_args()

torch.set_num_threads(args.threads)
random.seed(args.seed)
np.random.seed(args.seed)
torch.manual_seed(args.seed)
os.makedirs(args.out, exist_ok=True)
W, H = (int(v) for v in args.input.split('x'))
CW, CH = (int(v) for v in args.crop.split('x'))
root = os.path.join(data.data_root(), 'camvid')
t0 = time.time()

# Train images pre-loaded at 1.25x the model size, so scale augmentation mostly downsamples.
SW, SH = int(W * 1.25), int(H * 1.25)
_, tr_img, tr_lab = data.load_split(os.path.join(root, 'train'), (SW, SH), (SW, SH))
# Val: images at the model size (as the engine feeds them), labels at full 480x360.
_, va_img, va_lab = data.load_split(os.path.join(root, 'val'), (W, H), None)
print(f'loaded {len(tr_img)} train, {len(va_img)} val in {time.time() - t0:.1f}s', flush=True)

init = torch.load(args.init, map_location='cpu') if args.init else None
if init:
    # Keep the normalisation the weights were trained with.
    args.width = init['width']
    mean, std = torch.tensor(init['mean']), torch.tensor(init['std'])
    print(f'init from {args.init} (val mIoU {init["miou"]:.4f}, epoch {init["epoch"]})', flush=True)
else:
    tr_f = tr_img.float() / 255
    mean = tr_f.mean(dim=(0, 2, 3))
    std = tr_f.std(dim=(0, 2, 3))
    del tr_f
ex_img = ex_lab = xv_img = xv_lab = None
if args.extra:
    _, ex_img, ex_lab = data.load_split(args.extra, (SW, SH), (SW, SH))
    print(f'extra: {len(ex_img)} images from {args.extra}, {args.extra_share:.0%} of each batch', flush=True)
if args.extra_val:
    _, xv_img, xv_lab = data.load_split(args.extra_val, (W, H), None)
    print(f'extra val: {len(xv_img)} images from {args.extra_val}', flush=True)
print('mean', mean.tolist(), 'std', std.tolist(), flush=True)

# Median-frequency class balancing (Eigen & Fergus): w_c = median(f) / f_c, f_c = pixels of c /
# pixels of the images where c appears.
counts = torch.zeros(data.NUM_CLASSES, dtype=torch.float64)
present = torch.zeros(data.NUM_CLASSES, dtype=torch.float64)
for lab in tr_lab:
    bc = torch.bincount(lab.flatten().long(), minlength=12)[:data.NUM_CLASSES].double()
    counts += bc
    present += (bc > 0).double() * lab.numel()
freq = counts / present
class_w = (freq.median() / freq).float()
print('class weights', [round(v, 3) for v in class_w.tolist()], flush=True)

net = model_lib.build(data.NUM_CLASSES, args.width)
if init:
    net.load_state_dict(init['state_dict'])
print('params', sum(p.numel() for p in net.parameters()), flush=True)
teacher = None
if args.teacher:
    tck = torch.load(args.teacher, map_location='cpu')
    if tck['mean'] != mean.tolist() or tck['std'] != std.tolist():
        raise SystemExit(f'--teacher {args.teacher}: its normalisation differs from the student\'s')
    teacher = model_lib.build(data.NUM_CLASSES, tck['width'])
    teacher.load_state_dict(tck['state_dict'])
    teacher.eval()
    for q in teacher.parameters():
        q.requires_grad_(False)
    # The teacher was trained with scenes at its input size: show it each crop scaled the same way.
    teacher_scale = tck['input'][0] / W
    print(f'teacher {args.teacher} (val mIoU {tck["miou"]:.4f}, input {tck["input"]}), crops x{teacher_scale:.2f} for it', flush=True)


def distill_loss(logits, x):
    """Pixel-wise KL(teacher || student) at temperature T, times T^2 (Hinton et al.)."""
    with torch.no_grad():
        xt = F.interpolate(x, scale_factor=teacher_scale, mode='bilinear', align_corners=False) if teacher_scale != 1 else x
        t = F.interpolate(teacher(xt), size=logits.shape[2:], mode='bilinear', align_corners=False)
        soft = F.softmax(t / args.distill_t, dim=1)
    log_s = F.log_softmax(logits / args.distill_t, dim=1)
    return F.kl_div(log_s, soft, reduction='none').sum(1).mean() * args.distill_t ** 2
opt = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=args.wd)
budget = args.minutes * 60
budget_file = os.path.join(args.out, 'minutes')  # write a number here to change the budget mid-run
budget_mtime = None


def update_budget():
    global budget, budget_mtime
    try:
        mt = os.path.getmtime(budget_file)
        if mt != budget_mtime:
            budget_mtime = mt
            with open(budget_file) as f:
                budget = float(f.read()) * 60
            print(f'budget now {budget / 60:.1f} min', flush=True)
    except (OSError, ValueError):
        pass


def lr_at(frac):
    warm = 0.03
    if frac < warm:
        return args.lr * (0.1 + 0.9 * frac / warm)
    return args.lr * 0.5 * (1 + math.cos(math.pi * min(1.0, (frac - warm) / (1 - warm))))


def augment(samples):
    """Random scale (0.75-1.5 of the model size), crop/pad to the crop size, flip, colour jitter.
    samples: (images, labels, index) triples."""
    imgs = torch.empty(len(samples), 3, CH, CW)
    labs = torch.full((len(samples), CH, CW), data.VOID, dtype=torch.long)
    for k, (src_img, src_lab, i) in enumerate(samples):
        s = random.uniform(0.75, 1.5)
        h, w = int(round(H * s)), int(round(W * s))
        im = F.interpolate(src_img[i:i + 1].float() / 255, size=(h, w), mode='bilinear', align_corners=False)[0]
        lb = F.interpolate(src_lab[i:i + 1, None].float(), size=(h, w), mode='nearest')[0, 0].long()
        # colour jitter: brightness, contrast, saturation
        im = im * random.uniform(0.75, 1.25)
        m = im.mean()
        im = (im - m) * random.uniform(0.75, 1.25) + m
        g = im.mean(0, keepdim=True)
        im = ((im - g) * random.uniform(0.7, 1.3) + g).clamp(0, 1)
        if random.random() < 0.5:
            im, lb = im.flip(-1), lb.flip(-1)
        y0 = random.randint(0, max(0, h - CH)); x0 = random.randint(0, max(0, w - CW))
        oy = random.randint(0, max(0, CH - h)); ox = random.randint(0, max(0, CW - w))
        ch, cw = min(h, CH), min(w, CW)
        imgs[k] = ((torch.zeros(3, 1, 1) + mean[:, None, None]))  # pad with the mean colour
        imgs[k, :, oy:oy + ch, ox:ox + cw] = im[:, y0:y0 + ch, x0:x0 + cw]
        labs[k, oy:oy + ch, ox:ox + cw] = lb[y0:y0 + ch, x0:x0 + cw]
    return (imgs - mean[:, None, None]) / std[:, None, None], labs


def evaluate(images, labels):
    net.eval()
    cm = torch.zeros(data.NUM_CLASSES, data.NUM_CLASSES, dtype=torch.long)
    with torch.no_grad():
        for b in range(0, len(images), 16):
            x = (images[b:b + 16].float() / 255 - mean[:, None, None]) / std[:, None, None]
            logits = F.interpolate(net(x), size=labels.shape[1:], mode='bilinear', align_corners=False)
            cm += data.confusion(logits.argmax(1), labels[b:b + 16])
    net.train()
    return data.iou_from_confusion(cm)


def save(path, miou, epoch, iou, extra_miou):
    torch.save({'state_dict': net.state_dict(), 'width': args.width, 'input': [W, H],
                'mean': mean.tolist(), 'std': std.tolist(), 'miou': miou, 'epoch': epoch,
                'per_class_iou': iou.tolist(), 'extra_val_miou': extra_miou,
                'train_seconds': time.time() - t_train, 'args': vars(args)}, path + '.tmp')
    os.replace(path + '.tmp', path)


classes = [c['name'] for c in data.load_classes()][:data.NUM_CLASSES]
best = -1.0
epoch = 0
t_train = time.time()
if init:
    # The starting point on both validation sets: the "before" of a fine-tune.
    iou, acc = evaluate(va_img, va_lab)
    note = ''
    if xv_img is not None:
        xiou, xacc = evaluate(xv_img, xv_lab)
        note = f' | extra val mIoU {float(torch.nanmean(xiou)):.4f} pixAcc {xacc:.4f}'
    print(f'  start: val mIoU {float(torch.nanmean(iou)):.4f} pixAcc {acc:.4f}{note}', flush=True)
last_eval = t_train
net.train()
while True:
    frac = (time.time() - t_train) / budget
    if frac >= 1:
        break
    epoch += 1
    update_budget()
    perm = torch.randperm(len(tr_img)).tolist()
    tot, nb, te = 0.0, 0, time.time()
    n_extra = round(args.batch * args.extra_share) if ex_img is not None else 0
    per = args.batch - n_extra  # CamVid images per batch; an epoch is one pass over CamVid train
    for b in range(0, len(perm) - per + 1, per):
        frac = (time.time() - t_train) / budget
        if frac >= 1:
            break
        for g in opt.param_groups:
            g['lr'] = lr_at(frac)
        batch = [(tr_img, tr_lab, i) for i in perm[b:b + per]]
        batch += [(ex_img, ex_lab, random.randrange(len(ex_img))) for _ in range(n_extra)]
        x, y = augment(batch)
        logits = net(x)
        loss = F.cross_entropy(logits, y, weight=class_w, ignore_index=data.VOID)
        if teacher is not None:
            loss = loss + args.distill_weight * distill_loss(logits, x)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        tot += loss.item(); nb += 1
    print(f'epoch {epoch} loss {tot / max(1, nb):.4f} lr {opt.param_groups[0]["lr"]:.2e} '
          f'{time.time() - te:.1f}s/epoch elapsed {(time.time() - t_train) / 60:.1f}min', flush=True)
    frac = (time.time() - t_train) / budget
    # evaluate more often as the schedule anneals (that is where the best checkpoint will be)
    every = args.eval_every if frac < 0.6 else args.eval_every / 2
    if time.time() - last_eval >= every or frac >= 1:
        last_eval = time.time()
        iou, acc = evaluate(va_img, va_lab)
        miou = float(torch.nanmean(iou))
        extra_note, xmiou = '', None
        if xv_img is not None:
            xiou, xacc = evaluate(xv_img, xv_lab)
            xmiou = float(torch.nanmean(xiou))
            extra_note = f' | extra val mIoU {xmiou:.4f} pixAcc {xacc:.4f}'
        tag = ''
        if miou > best:
            best = miou
            save(os.path.join(args.out, 'best.pt'), miou, epoch, iou, xmiou)
            tag = ' *best*'
        save(os.path.join(args.out, 'last.pt'), miou, epoch, iou, xmiou)
        print(f'  val mIoU {miou:.4f} pixAcc {acc:.4f} ' +
              ' '.join(f'{n}={v:.3f}' for n, v in zip(classes, iou.tolist())) + tag + extra_note, flush=True)
print(f'done: {epoch} epochs, best val mIoU {best:.4f}, {(time.time() - t_train) / 60:.1f} min', flush=True)
