"""A tfteach graph as TensorFlow's `GraphDef` protocol buffer, for TensorBoard's graph view.

Each op becomes a `NodeDef`: its name (TensorBoard draws name scopes as boxes),
its type, its inputs (``op``, ``op:1``, ``^control``) and attributes: the op's
own (dtypes, shapes, constants' values, flags), ``_output_shapes`` (the static
shapes TensorBoard writes on the edges) and ``_class`` (``loc:@w``: the ops TF
places with a variable). Read through the public graph API only.

Where TF puts ``_class``: TF colocates an op that takes a variable by reference
(its ``Assign``, ``read``, an optimizer's ``Apply...``) with that variable, and
a variable made from an initializer function (``get_variable``) with the ops of
its ``Initializer/`` scope. tfteach derives the same from the graph's structure;
TF's other colocations (optimizer slots and the ops an optimizer builds under
``colocate_with``) are not reproduced.
"""

from __future__ import annotations

import numpy as np

from .dtypes import DType
from .graph import Graph, Operation
from .summary_protos import load as load_protos
from .tensor_shape import TensorShape

# tfteach's dtype names whose TF enum name is not simply "DT_" + the name in capitals
_ENUM_NAMES = {
    "float32": "DT_FLOAT",
    "float64": "DT_DOUBLE",
    "float16": "DT_HALF",
}


def dtype_enum(dtype: DType) -> int:
    """TF's `DataType` enum value for ``dtype`` (``DT_FLOAT``, ``DT_FLOAT_REF``, ...)."""
    base = dtype.base_dtype.name
    name = _ENUM_NAMES.get(base, "DT_" + base.upper())
    if dtype.is_ref_dtype:
        name += "_REF"
    return load_protos().types_pb2.DataType.Value(name)


def shape_proto(shape: TensorShape):
    """A `TensorShapeProto`: unknown dimensions are -1, an unknown rank is marked so."""
    pb = load_protos().tensor_shape_pb2.TensorShapeProto()
    if shape.ndims is None:
        pb.unknown_rank = True
    else:
        for d in shape.as_list():
            pb.dim.add(size=-1 if d is None else d)
    return pb


def _attr_value(value):
    """``value`` as an `AttrValue`, or None for what has no place in a NodeDef (tfteach's
    own bookkeeping: tensors, functions)."""
    AttrValue = load_protos().attr_value_pb2.AttrValue
    if isinstance(value, DType):
        return AttrValue(type=dtype_enum(value.base_dtype))
    if isinstance(value, TensorShape):
        return AttrValue(shape=shape_proto(value))
    if isinstance(value, (bool, np.bool_)):
        return AttrValue(b=bool(value))
    if isinstance(value, (int, np.integer)):
        return AttrValue(i=int(value))
    if isinstance(value, (float, np.floating)):
        return AttrValue(f=float(value))
    if isinstance(value, str):
        return AttrValue(s=value.encode())
    if isinstance(value, bytes):
        return AttrValue(s=value)
    if isinstance(value, np.ndarray):
        return AttrValue(tensor=load_protos().tensor_util.make_tensor_proto(value))
    if isinstance(value, (list, tuple)) and all(isinstance(v, (int, np.integer)) for v in value):
        return AttrValue(list=AttrValue.ListValue(i=[int(v) for v in value]))
    return None


def _input_name(tensor) -> str:
    """How a NodeDef names an input: ``op`` for an op's first output, ``op:i`` otherwise."""
    return tensor.op.name if tensor.value_index == 0 else f"{tensor.op.name}:{tensor.value_index}"


def colocation(graph: Graph) -> dict[Operation, str]:
    """For each op TF colocates with a variable, that variable's op name (see the module
    docstring)."""
    ops = graph.get_operations()
    found: dict[Operation, str] = {}
    variables = {op.name: op for op in ops if op.type == "VariableV2"}
    for op in ops:
        for t in op.inputs:
            if t.dtype.is_ref_dtype and t.op.type == "VariableV2":
                found[op] = t.op.name
                break
    for op in ops:  # get_variable's initializer ops, and then the variable itself
        head, sep, _ = op.name.partition("/Initializer/")
        if sep and head in variables:
            found[op] = head
            found[variables[head]] = head
    return found


def as_graph_def(graph: Graph, add_shapes: bool = True):
    """``graph`` as a `GraphDef` proto (``add_shapes``: with ``_output_shapes``)."""
    protos = load_protos()
    AttrValue = protos.attr_value_pb2.AttrValue
    graph_def = protos.graph_pb2.GraphDef()
    colocated = colocation(graph)
    for op in graph.get_operations():
        node = graph_def.node.add(name=op.name, op=op.type)
        node.input.extend(_input_name(t) for t in op.inputs)
        node.input.extend("^" + c.name for c in op.control_inputs)
        for key, value in _op_attrs(op).items():
            attr = _attr_value(value)
            if attr is not None:
                node.attr[key].CopyFrom(attr)
        if add_shapes and op.outputs:
            shapes = [shape_proto(t.shape) for t in op.outputs]
            node.attr["_output_shapes"].CopyFrom(AttrValue(list=AttrValue.ListValue(shape=shapes)))
        if op in colocated:
            location = f"loc:@{colocated[op]}".encode()
            node.attr["_class"].CopyFrom(AttrValue(list=AttrValue.ListValue(s=[location])))
    return graph_def


# attributes that are tfteach's own bookkeeping, not TF's (which Assign initializes a variable)
_TFTEACH_ONLY_ATTRS = frozenset({"kind"})


def _op_attrs(op: Operation) -> dict:
    """The op's attributes by name, read with `Operation.get_attr`. (The names come from
    the op's attribute table: tfteach's `Operation` has no public list of them, as TF's
    has ``op.node_def.attr``.)"""
    names = [n for n in op._attrs if n not in _TFTEACH_ONLY_ATTRS]
    return {name: op.get_attr(name) for name in names}
