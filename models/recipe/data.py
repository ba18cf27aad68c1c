"""CamVid loading for the recipe: the SegNet 11-class split as <split>/images/*.jpg and
<split>/labels/*.png (grayscale class indices, 11 = void)."""
import json
import os

import numpy as np
import torch
from PIL import Image

VOID = 11
NUM_CLASSES = 11


def data_root():
    """Same rule as datasets/data-root.ts: $GROKDRIVE_DATA or ../shared/data from the repo."""
    env = os.environ.get('GROKDRIVE_DATA')
    if env:
        return env
    repo = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
    return os.path.join(repo, '..', 'shared', 'data')


def split_names(split_dir):
    names = sorted(f[:-4] for f in os.listdir(os.path.join(split_dir, 'images')) if f.endswith('.jpg'))
    if not names:
        raise SystemExit(f'no images in {split_dir}/images')
    return names


def load_classes(root=None):
    with open(os.path.join(root or data_root(), 'camvid', 'classes.json')) as f:
        return json.load(f)


def load_image(split_dir, name, size=None):
    """RGB uint8 HxWx3, optionally resized to size=(w, h) with Lanczos (close to sharp's default
    lanczos3 kernel, which the engine uses at inference)."""
    im = Image.open(os.path.join(split_dir, 'images', name + '.jpg')).convert('RGB')
    if size is not None and im.size != size:
        im = im.resize(size, Image.LANCZOS)
    return np.asarray(im, dtype=np.uint8)


def load_label(split_dir, name, size=None):
    lab = Image.open(os.path.join(split_dir, 'labels', name + '.png'))
    if lab.mode != 'L':
        raise SystemExit(f'{split_dir}/labels/{name}.png: expected 8-bit grayscale, got {lab.mode}')
    if size is not None and lab.size != size:
        lab = lab.resize(size, Image.NEAREST)
    return np.asarray(lab, dtype=np.uint8)


def load_split(split_dir, image_size=None, label_size=None):
    """Returns (names, images uint8 N,3,H,W tensor, labels uint8 N,H,W tensor)."""
    names = split_names(split_dir)
    imgs = np.stack([load_image(split_dir, n, image_size) for n in names]).transpose(0, 3, 1, 2)
    labs = np.stack([load_label(split_dir, n, label_size) for n in names])
    return names, torch.from_numpy(np.ascontiguousarray(imgs)), torch.from_numpy(labs)


def confusion(pred, label, n=NUM_CLASSES):
    """n x n counts, rows = label, cols = prediction; void pixels skipped."""
    keep = label != VOID
    idx = label[keep].long() * n + pred[keep].long()
    return torch.bincount(idx, minlength=n * n).reshape(n, n)


def iou_from_confusion(cm):
    cm = cm.double()
    tp = cm.diag()
    denom = cm.sum(0) + cm.sum(1) - tp
    iou = torch.where(denom > 0, tp / denom.clamp(min=1), torch.full_like(tp, float('nan')))
    return iou, (tp.sum() / cm.sum().clamp(min=1)).item()
