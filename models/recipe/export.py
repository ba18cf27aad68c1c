"""Export a checkpoint from train.py to ONNX and write its manifest.

  /usr/bin/python3 models/recipe/export.py --ckpt /tmp/grokdrive-train/best.pt \
      [--name camvid-dsnet] [--ref /tmp/camvid-dsnet.ref.bin]

Writes models/<name>.onnx, models/<name>.pt (the weights, for torch timing) (opset 13, input `image` float32 [1,3,H,W] NCHW RGB normalised as the
manifest says, output `logits` float32 [1,11,H,W] and `classes` uint8 [1,H,W], their argmax; H and W free, multiples of 16) and models/<name>.manifest.json.
--ref also writes torch's outputs for a few val images (inputs and logits, float32) so that
check_onnx.mjs can compare onnxruntime-node against torch on identical inputs.
"""
import argparse
import json
import os
import struct

import numpy as np
import torch

import data
import model as model_lib

p = argparse.ArgumentParser()
p.add_argument('--ckpt', default='/tmp/grokdrive-train/best.pt')
p.add_argument('--name', default='camvid-dsnet')
p.add_argument('--out-dir', default=os.path.join(os.path.dirname(__file__), '..'))
p.add_argument('--ref', default=None)
p.add_argument('--ref-count', type=int, default=4)
args = p.parse_args()

ck = torch.load(args.ckpt, map_location='cpu')
net = model_lib.build(data.NUM_CLASSES, ck['width'])
net.load_state_dict(ck['state_dict'])
net.eval()
W, H = ck['input']
onnx_name = args.name + '.onnx'
onnx_path = os.path.join(args.out_dir, onnx_name)
x = torch.zeros(1, 3, H, W)
# Height and width are free (any multiple of 16, the network's stride), so one file serves any
# camera: the engine keeps a frame's aspect ratio instead of stretching it to W x H.
torch.onnx.export(net, x, onnx_path, opset_version=13, input_names=['image'], output_names=['logits'],
                  dynamic_axes={'image': {2: 'height', 3: 'width'}, 'logits': {2: 'height', 3: 'width'}},
                  do_constant_folding=True)
# The torch twin of the ONNX file, for bench timing and fine-tuning.
torch.save({'state_dict': net.state_dict(), 'width': ck['width'], 'input': [W, H]},
           os.path.join(args.out_dir, args.name + '.pt'))
import onnx  # noqa: E402  (checked after writing: a malformed graph fails here, not in the engine)
from onnx import helper, TensorProto  # noqa: E402
# A second output, `classes`: the argmax over the class axis as uint8 [1, H, W]. The engine
# fetches it instead of the logits when it wants the class map at the model's resolution:
# onnxruntime's argmax is faster than one in JavaScript, and 1 byte a pixel crosses into
# JavaScript instead of 11 floats.
graph_model = onnx.load(onnx_path)
graph_model.graph.node.append(helper.make_node('ArgMax', ['logits'], ['classes_int64'], axis=1, keepdims=0))
graph_model.graph.node.append(helper.make_node('Cast', ['classes_int64'], ['classes'], to=TensorProto.UINT8))
graph_model.graph.output.append(helper.make_tensor_value_info('classes', TensorProto.UINT8, [1, 'height', 'width']))
onnx.checker.check_model(graph_model)
onnx.save(graph_model, onnx_path)

# Roles for a car: Road is drivable. Pavement (sidewalk) is ground the car does not drive on:
# not free, but the camera sees past it to the walls and cars beyond (the column walk goes on).
# Sky and Unlabelled carry no occupancy.
roles = {'Sky': 'ignore', 'Road': 'drivable', 'Pavement': 'ground', 'Unlabelled': 'ignore'}
classes = [{'id': c['id'], 'name': c['name'], 'color': c['color'], 'role': roles.get(c['name'], 'obstacle')}
           for c in data.load_classes() if c['id'] < data.NUM_CLASSES]
manifest = {
    'name': args.name,
    'onnx': onnx_name,
    'input': {
        'name': 'image', 'width': W, 'height': H, 'layout': 'NCHW', 'colorOrder': 'RGB',
        'scale': 1 / 255, 'mean': [round(v, 6) for v in ck['mean']], 'std': [round(v, 6) for v in ck['std']],
        'resize': 'keep-aspect', 'sizeMultiple': 16,
    },
    'output': {'name': 'logits', 'form': 'logits', 'layout': 'NCHW', 'width': W, 'height': H, 'classesName': 'classes'},
    'classes': classes,
    'license': 'CC BY-NC 4.0 (trained on CamVid): research and non-commercial use only',
    'training': {'valMiou': round(ck['miou'], 4), 'epoch': ck['epoch'],
                 'trainSeconds': round(ck['train_seconds'])},
}
targs = ck.get('args', {})
if targs.get('init'):
    # A fine-tune: count every run in the chain it started from, and say what it started from.
    first = torch.load(targs['init'], map_location='cpu')
    manifest['training']['fineTune'] = {'from': {'valMiou': round(first['miou'], 4), 'epoch': first['epoch'],
                                                 'input': first.get('input', [W, H])},
                                        'epochs': ck['epoch'], 'seconds': round(ck['train_seconds'])}
    runs, prev = 1, first
    while prev is not None:
        manifest['training']['trainSeconds'] += round(prev['train_seconds'])
        runs += 1
        init = prev.get('args', {}).get('init')
        prev = torch.load(init, map_location='cpu') if init else None
    manifest['training']['runs'] = runs
if targs.get('teacher'):
    teacher = torch.load(targs['teacher'], map_location='cpu')
    manifest['training']['distilledFrom'] = {'valMiou': round(teacher['miou'], 4), 'input': teacher['input'],
                                             'weight': targs['distill_weight'], 'temperature': targs['distill_t']}
if targs.get('extra'):
    manifest['training']['extraData'] = {'share': targs['extra_share'], 'what': 'grokdrive synthetic frames (grokdrive synth --dataset)'}
if ck.get('extra_val_miou') is not None:
    manifest['training']['syntheticValMiou'] = round(ck['extra_val_miou'], 4)
with open(os.path.join(args.out_dir, args.name + '.manifest.json'), 'w') as f:
    json.dump(manifest, f, indent=2)
    f.write('\n')
print(f'wrote {onnx_path} ({os.path.getsize(onnx_path) / 1e6:.2f} MB), val mIoU {ck["miou"]:.4f} epoch {ck["epoch"]}')

if args.ref:
    # Reference file: int32 count, W, H, C; then per image its float32 input and float32 logits.
    split = os.path.join(data.data_root(), 'camvid', 'val')
    names = data.split_names(split)[:args.ref_count]
    mean = torch.tensor(ck['mean'])[:, None, None]
    std = torch.tensor(ck['std'])[:, None, None]
    with open(args.ref, 'wb') as f:
        f.write(struct.pack('<4i', len(names), W, H, data.NUM_CLASSES))
        for n in names:
            img = torch.from_numpy(data.load_image(split, n, (W, H)).transpose(2, 0, 1).copy()).float()
            inp = ((img / 255 - mean) / std)[None]
            with torch.no_grad():
                out = net(inp)
            f.write(inp.numpy().astype(np.float32).tobytes())
            f.write(out.numpy().astype(np.float32).tobytes())
    print(f'wrote torch reference for {len(names)} val images to {args.ref}')
