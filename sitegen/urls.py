"""Site paths → URLs: relative links that work under any sub-path, and absolute ones."""

from __future__ import annotations

from urllib.parse import quote, urlsplit


def directory_of(document_path: str) -> str:
    """Folder a document lives in: "x/y/" for a pretty page, "" for "404.html"."""
    if document_path.endswith("/") or not document_path:
        return document_path
    return document_path.rsplit("/", 1)[0] + "/" if "/" in document_path else ""


def relative_url(from_document: str, target: str) -> str:
    """Link from one site document to a site path, without assuming where the site is mounted."""
    depth = directory_of(from_document).count("/")
    url = "../" * depth + target
    if not url or url.startswith("#"):
        return "./" + url
    return url


def quote_path(target: str) -> str:
    """Percent-encode a site path (spaces, Vietnamese letters, #) but keep a trailing #fragment."""
    path, hash_mark, fragment = target.partition("#")
    return quote(path, safe="/%") + hash_mark + fragment


def absolute_url(base_url: str, target: str) -> str:
    """Absolute URL of a site path under the configured base URL."""
    return base_url + target


def base_path(base_url: str) -> str:
    """The path part of the base URL ("/vi-nguoi-ngheo/"), for pages served at any depth (404)."""
    return urlsplit(base_url).path or "/"
