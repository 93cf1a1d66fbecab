"""Response conventions that every schema must follow."""

from __future__ import annotations

from datetime import datetime
from typing import get_args

import bankcrm.api.app as app_module
from bankcrm.schemas import Out


def _all_out_models() -> set[type[Out]]:
    app_module.create_app()  # import every router and its schemas
    seen: set[type[Out]] = set()
    stack = list(Out.__subclasses__())
    while stack:
        cls = stack.pop()
        if cls not in seen:
            seen.add(cls)
            stack.extend(cls.__subclasses__())
    return seen


def test_every_response_timestamp_is_marked_utc() -> None:
    offenders = []
    for model in _all_out_models():
        for name, field in model.model_fields.items():
            types = {field.annotation, *get_args(field.annotation)}
            if datetime in types and not field.metadata:
                offenders.append(f"{model.__name__}.{name}")
    assert not offenders, f"use bankcrm.schemas.UtcDateTime for: {offenders}"
