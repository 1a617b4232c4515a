"""Uploaded files: where their bytes live, what they are, and what they may be called.

`blobs` keeps bytes durably, named by content, on local disk, `s3` in object storage, and
`location` opens the one the settings name; `content` tells a document's kind from its
bytes; `filenames` turns whatever name a client sent into one safe to store and to send back.
None of it knows about submissions or HTTP.
"""

from awards.storage.blobs import FileStore, LocalFileStore, StagedBlob, TooLarge
from awards.storage.content import FileFamily, FileKind, Identified, Unacceptable, identify
from awards.storage.location import open_store

__all__ = [
    "FileFamily",
    "FileKind",
    "FileStore",
    "Identified",
    "LocalFileStore",
    "StagedBlob",
    "TooLarge",
    "Unacceptable",
    "identify",
    "open_store",
]
