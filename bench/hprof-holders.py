"""Who holds the arrays of one type in a heap dump (`jcmd <pid> GC.heap_dump <file>`): for every array of that type,
its chain of referrers (one referrer per object, the first the dump names), summed by chain. Standard library only.
Usage: python3 bench/hprof-holders.py <file.hprof> [array type, default int[]] [chain depth, default 6] [top, 25]
Array types: int[], byte[], long[], char[], short[], boolean[], float[], double[], or a class name's array as
Object[] (every object array)."""
import mmap, struct, sys, collections

path = sys.argv[1]
wanted = sys.argv[2] if len(sys.argv) > 2 else "int[]"
depth = int(sys.argv[3]) if len(sys.argv) > 3 else 6
top = int(sys.argv[4]) if len(sys.argv) > 4 else 25
PRIM = {4: ("boolean", 1), 5: ("char", 2), 6: ("float", 4), 7: ("double", 8), 8: ("byte", 1), 9: ("short", 2),
        10: ("int", 4), 11: ("long", 8)}

f = open(path, "rb")
m = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
end = m.find(b"\0")
ids = struct.unpack(">I", m[end + 1:end + 5])[0]
idfmt = ">Q" if ids == 8 else ">I"
SIZE = {2: ids, **{k: v[1] for k, v in PRIM.items()}}
strings, class_name = {}, {}          # string id -> text; class object id -> name
class_fields, class_super = {}, {}    # class id -> [(type)], super id
instances = []                        # (object id, class id, offset, length)
obj_arrays = []                       # (object id, offset, count)
sizes, kind = {}, {}                  # object id -> shallow size, type name (arrays) or class id (instances)
parent = {}
roots = set()


def rid(o):
    return struct.unpack_from(idfmt, m, o)[0]


pos = end + 1 + 4 + 8
while pos < len(m):
    tag, length = m[pos], struct.unpack_from(">I", m, pos + 5)[0]
    body = pos + 9
    if tag == 0x01:
        strings[rid(body)] = m[body + ids:body + length].decode("utf-8", "replace")
    elif tag == 0x02:
        class_name[rid(body + 4)] = rid(body + 8 + ids)
    elif tag in (0x0C, 0x1C):
        p, stop = body, body + length
        while p < stop:
            sub = m[p]; p += 1
            if sub == 0xFF or sub == 0x05 or sub == 0x07:
                roots.add(rid(p)); p += ids
            elif sub == 0x01:
                roots.add(rid(p)); p += 2 * ids
            elif sub in (0x02, 0x03, 0x08):
                roots.add(rid(p)); p += ids + 8
            elif sub in (0x04, 0x06):
                roots.add(rid(p)); p += ids + 4
            elif sub == 0x20:
                cid = rid(p); class_super[cid] = rid(p + ids + 4)
                p += 7 * ids + 4 + 4
                n = struct.unpack_from(">H", m, p)[0]; p += 2
                for _ in range(n):
                    t = m[p + 2]; p += 3 + SIZE[t]
                n = struct.unpack_from(">H", m, p)[0]; p += 2
                for _ in range(n):
                    t = m[p + ids]
                    if t == 2:
                        child = rid(p + ids + 1)
                        if child and child not in parent:
                            parent[child] = cid
                    p += ids + 1 + SIZE[t]
                n = struct.unpack_from(">H", m, p)[0]; p += 2
                fields = []
                for _ in range(n):
                    fields.append(m[p + ids]); p += ids + 1
                class_fields[cid] = fields
            elif sub == 0x21:
                oid, cid, n = rid(p), rid(p + ids + 4), struct.unpack_from(">I", m, p + 2 * ids + 4)[0]
                instances.append((oid, cid, p + 2 * ids + 8, n))
                sizes[oid] = 16 + n; kind[oid] = cid
                p += 2 * ids + 8 + n
            elif sub == 0x22:
                oid, n = rid(p), struct.unpack_from(">I", m, p + ids + 4)[0]
                obj_arrays.append((oid, p + 2 * ids + 8, n))
                sizes[oid] = 16 + n * 4; kind[oid] = "Object[]"
                p += 2 * ids + 8 + n * ids
            elif sub == 0x23:
                oid, n, t = rid(p), struct.unpack_from(">I", m, p + ids + 4)[0], m[p + ids + 8]
                sizes[oid] = 16 + n * PRIM[t][1]; kind[oid] = PRIM[t][0] + "[]"
                p += ids + 9 + n * PRIM[t][1]
            else:
                raise SystemExit(f"unknown heap dump sub-record 0x{sub:x} at {p - 1}")
    pos = body + length


def name(cid):
    return strings.get(class_name.get(cid), f"class@{cid:x}")


def layout(cid):
    out = []
    while cid:
        out += class_fields.get(cid, [])
        cid = class_super.get(cid)
    return out


layouts = {}
for oid, cid, off, n in instances:
    lay = layouts.get(cid)
    if lay is None:
        lay = layouts[cid] = layout(cid)
    p = off
    for t in lay:
        if t == 2:
            child = rid(p)
            if child and child not in parent:
                parent[child] = oid
        p += SIZE[t]
for oid, off, n in obj_arrays:
    for i in range(n):
        child = rid(off + i * ids)
        if child and child not in parent:
            parent[child] = oid


def label(oid):
    k = kind.get(oid)
    if k is None:
        return "class " + name(oid).replace("/", ".") if oid in class_super else f"?{oid:x}"
    return k if isinstance(k, str) else name(k).replace("/", ".")


chains = collections.Counter()
counts = collections.Counter()
total = 0
for oid, k in kind.items():
    if k != wanted:
        continue
    total += sizes[oid]
    chain, o = [], oid
    for _ in range(depth):
        o = parent.get(o)
        if o is None:
            chain.append("(root)")
            break
        chain.append(label(o))
    key = " <- ".join(chain)
    chains[key] += sizes[oid]
    counts[key] += 1
print(f"{wanted}: {sum(1 for k in kind.values() if k == wanted)} arrays, {total / 1024:.0f} KiB shallow; by holder chain:")
for key, size in chains.most_common(top):
    print(f"{size / 1024:10.1f} KiB {counts[key]:8d}  {key}")
