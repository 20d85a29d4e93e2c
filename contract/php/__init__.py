"""How the PHP backend reads a request and writes JSON: PHP 7's values, json_decode, $_GET, the controller."""

from __future__ import annotations

from contract.php.controller import FieldsKind, FieldsReading, PathId, fields_value, read_fields, read_path_id
from contract.php.json_decode import DEFAULT_DEPTH, JSON_ERRORS, JsonDecoded, json_decode
from contract.php.json_encode import PhpJsonError, PhpJsonFlag, PhpObject, encode, parse_flags
from contract.php.query import MAX_INPUT_NESTING_LEVEL, MAX_INPUT_VARS, Assignment, Query, parse_query
from contract.php.values import (
    INT_MAX,
    INT_MIN,
    ArrayKey,
    PhpArray,
    PhpValue,
    array_intersect,
    array_key,
    empty,
    multiply_by_one,
    short_json,
    strval,
)

__all__ = [
    "DEFAULT_DEPTH",
    "INT_MAX",
    "INT_MIN",
    "JSON_ERRORS",
    "MAX_INPUT_NESTING_LEVEL",
    "MAX_INPUT_VARS",
    "ArrayKey",
    "Assignment",
    "FieldsKind",
    "FieldsReading",
    "JsonDecoded",
    "PathId",
    "PhpArray",
    "PhpJsonError",
    "PhpJsonFlag",
    "PhpObject",
    "PhpValue",
    "Query",
    "array_intersect",
    "array_key",
    "empty",
    "encode",
    "fields_value",
    "json_decode",
    "multiply_by_one",
    "parse_flags",
    "parse_query",
    "read_fields",
    "read_path_id",
    "short_json",
    "strval",
]
