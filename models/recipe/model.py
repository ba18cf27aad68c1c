"""Compact real-time segmentation network for CamVid on CPU ("camvid-dsnet").

Encoder: strided stem to 1/4, MobileNetV2-style inverted-residual blocks to 1/8 and 1/16
(the last stage dilated), a light pyramid-pooling context module at 1/16.
Decoder: two U-Net-style fusions (1/16 -> 1/8 -> 1/4) with depthwise-separable convs,
a 1x1 classifier, and a bilinear upsample back to the input size, so the ONNX output is
logits NCHW at the model's input resolution.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def conv_bn_relu(cin, cout, k=3, s=1, groups=1, dilation=1):
    pad = dilation * (k // 2)
    return nn.Sequential(
        nn.Conv2d(cin, cout, k, s, pad, dilation=dilation, groups=groups, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
    )


class DSConv(nn.Module):
    """Depthwise 3x3 + pointwise 1x1, each with BN+ReLU."""

    def __init__(self, cin, cout, stride=1, dilation=1):
        super().__init__()
        self.dw = conv_bn_relu(cin, cin, 3, stride, groups=cin, dilation=dilation)
        self.pw = conv_bn_relu(cin, cout, 1)

    def forward(self, x):
        return self.pw(self.dw(x))


class InvertedResidual(nn.Module):
    def __init__(self, cin, cout, stride=1, expand=4, dilation=1):
        super().__init__()
        mid = cin * expand
        self.use_res = stride == 1 and cin == cout
        self.block = nn.Sequential(
            conv_bn_relu(cin, mid, 1),
            conv_bn_relu(mid, mid, 3, stride, groups=mid, dilation=dilation),
            nn.Conv2d(mid, cout, 1, bias=False),
            nn.BatchNorm2d(cout),
        )

    def forward(self, x):
        y = self.block(x)
        return x + y if self.use_res else y


def adaptive_avg_pool_2x2(x):
    """F.adaptive_avg_pool2d(x, 2) written with slices, so ONNX export keeps H and W free (the
    exporter cannot write the adaptive pool for sizes it does not know). Bin i spans
    [floor(i*n/2), ceil((i+1)*n/2)), as in torch."""
    if not torch.onnx.is_in_onnx_export():
        return F.adaptive_avg_pool2d(x, 2)
    h, w = x.shape[2], x.shape[3]
    rows = [x[:, :, : (h + 1) // 2], x[:, :, h // 2:]]
    cells = [[r[:, :, :, : (w + 1) // 2].mean((2, 3), keepdim=True), r[:, :, :, w // 2:].mean((2, 3), keepdim=True)] for r in rows]
    return torch.cat([torch.cat(c, 3) for c in cells], 2)


class PyramidPool(nn.Module):
    """Context: features pooled to 1x1 and 2x2 grids, projected, upsampled, concatenated."""

    def __init__(self, c, cout):
        super().__init__()
        self.p1 = conv_bn_relu(c, c // 4, 1)
        self.p2 = conv_bn_relu(c, c // 4, 1)
        self.out = conv_bn_relu(c + 2 * (c // 4), cout, 1)

    def forward(self, x):
        h, w = x.shape[2], x.shape[3]
        a = F.interpolate(self.p1(F.adaptive_avg_pool2d(x, 1)), size=(h, w), mode='bilinear', align_corners=False)
        b = F.interpolate(self.p2(adaptive_avg_pool_2x2(x)), size=(h, w), mode='bilinear', align_corners=False)
        return self.out(torch.cat([x, a, b], 1))


class Fuse(nn.Module):
    """Upsample the deep features to the skip's size, concatenate, mix with a DSConv."""

    def __init__(self, c_deep, c_skip, cout):
        super().__init__()
        self.mix = DSConv(c_deep + c_skip, cout)

    def forward(self, deep, skip):
        deep = F.interpolate(deep, size=skip.shape[2:], mode='bilinear', align_corners=False)
        return self.mix(torch.cat([deep, skip], 1))


class DSNet(nn.Module):
    def __init__(self, num_classes=11, width=1.0):
        super().__init__()
        c = lambda n: max(8, int(round(n * width / 8)) * 8)
        c1, c2, c4, c8, c16, cctx = c(24), c(32), c(48), c(64), c(112), c(128)
        self.stem = nn.Sequential(conv_bn_relu(3, c1, 3, 2), DSConv(c1, c2, 2))        # 1/4
        self.s4 = nn.Sequential(InvertedResidual(c2, c4, 1), InvertedResidual(c4, c4))  # 1/4
        self.s8 = nn.Sequential(InvertedResidual(c4, c8, 2), InvertedResidual(c8, c8), InvertedResidual(c8, c8))  # 1/8
        self.s16 = nn.Sequential(
            InvertedResidual(c8, c16, 2),
            InvertedResidual(c16, c16),
            InvertedResidual(c16, c16, dilation=2),
            InvertedResidual(c16, c16, dilation=4),
        )  # 1/16
        self.ctx = PyramidPool(c16, cctx)
        self.up8 = Fuse(cctx, c8, c(96))
        self.up4 = Fuse(c(96), c4, c(64))
        self.head = nn.Sequential(DSConv(c(64), c(64)), nn.Dropout2d(0.1), nn.Conv2d(c(64), num_classes, 1))

    def forward(self, x):
        h, w = x.shape[2], x.shape[3]
        f4 = self.s4(self.stem(x))
        f8 = self.s8(f4)
        f16 = self.ctx(self.s16(f8))
        y = self.up4(self.up8(f16, f8), f4)
        y = self.head(y)
        return F.interpolate(y, size=(h, w), mode='bilinear', align_corners=False)


def build(num_classes=11, width=1.0):
    return DSNet(num_classes, width)


if __name__ == '__main__':
    import time
    torch.set_num_threads(2)
    m = build().eval()
    n = sum(p.numel() for p in m.parameters())
    x = torch.randn(1, 3, 192, 256)
    with torch.no_grad():
        for _ in range(3):
            m(x)
        t = time.perf_counter()
        for _ in range(20):
            m(x)
    print(f'params {n}  ms/frame {(time.perf_counter() - t) / 20 * 1000:.1f}')
