"""The Arrow (Parquet) schema of the annotation record, derived from the pydantic model so
the two can never drift apart: nested models become structs, lists become lists."""
from __future__ import annotations

import types
import typing
from typing import Any, Literal, Union

from pydantic import BaseModel

from ..schema import AnnotationRecord

_SCALARS = {str: "string", int: "int64", float: "float64", bool: "bool_"}


def arrow_type(annotation: Any):
    import pyarrow as pa

    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType):
        inner = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(inner) != 1:
            raise TypeError(f"no Arrow type for {annotation}")
        return arrow_type(inner[0])
    if origin is list:
        return pa.list_(arrow_type(typing.get_args(annotation)[0]))
    if origin is Literal:
        return pa.string()
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return pa.struct([pa.field(name, arrow_type(f.annotation)) for name, f in annotation.model_fields.items()])
    if annotation in _SCALARS:
        return getattr(pa, _SCALARS[annotation])()
    raise TypeError(f"no Arrow type for {annotation}")


def record_schema():
    import pyarrow as pa

    return pa.schema([pa.field(name, arrow_type(f.annotation)) for name, f in AnnotationRecord.model_fields.items()])
