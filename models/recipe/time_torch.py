"""Times the exported model's torch twin on this CPU, for bench/perception.bench.ts.

  /usr/bin/python3 models/recipe/time_torch.py --weights models/camvid-dsnet.pt --threads 1 2 --runs 50

Prints one JSON line: {"torch": "<version>", "msPerFrame": {"1": ms, "2": ms}, "input": [W, H]}.
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import torch  # noqa: E402

import model as model_lib  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument('--weights', required=True)
p.add_argument('--threads', type=int, nargs='+', default=[1, 2])
p.add_argument('--runs', type=int, default=50)
args = p.parse_args()

ck = torch.load(args.weights, map_location='cpu')
net = model_lib.build(11, ck['width'])
net.load_state_dict(ck['state_dict'])
net.eval()
W, H = ck['input']
x = torch.randn(1, 3, H, W)
res = {}
with torch.inference_mode():
    for n in args.threads:
        torch.set_num_threads(n)
        for _ in range(5):
            net(x)
        t = time.perf_counter()
        for _ in range(args.runs):
            net(x)
        res[str(n)] = (time.perf_counter() - t) / args.runs * 1000
print(json.dumps({'torch': torch.__version__, 'msPerFrame': res, 'input': [W, H]}))
