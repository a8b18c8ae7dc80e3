"""Sealed PDFs: an electronic seal (a PAdES signature, made with pyHanko) with
the installation's certificate, and reading the seals of an uploaded copy back.

A seal says "this file left the portal like this". It is made by the portal,
not by a person: the justerare approve the minutes in the portal, and the PDF
of the approved version is sealed when it is rendered (`DocumentKind.seal`,
`portal.documents.jobs.run`). Any change to the file afterwards breaks the seal,
which the "Kontrollera ett dokument" page (`portal.documents.check`) and any
PDF reader can see.

The certificate: SEAL_CERTIFICATE and SEAL_KEY (PEM files; the certificate file
may carry its chain after it) with SEAL_KEY_PASSPHRASE, an organisation
certificate for e-seals in production. Without them a self-signed certificate
is generated on first use and kept in SEAL_DIR (beside MEDIA_ROOT, private,
never served): enough for the portal's own check, not trusted by PDF readers.

A person's signature with e-legitimation (BankID, Freja eID) is not made here.
A signing provider would plug in where `seal_pdf` is called: the provider
signs the document's digest (pyHanko's `PdfSigner` with an external `Signer`,
or the provider's own PAdES service), after or instead of the portal's seal
(README, "Sealed PDFs").
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import functools
import hashlib
import io
import logging
import os
import re
import tempfile
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asn1crypto import cms, x509
from cryptography import x509 as pyca_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.utils.translation import gettext as _

with warnings.catch_warnings():
    # pyHanko imports DSA support, which cryptography deprecates; no seal uses DSA.
    warnings.filterwarnings("ignore", category=CryptographyDeprecationWarning)
    from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import fields, signers
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext
    from pyhanko_certvalidator.registry import SimpleCertificateStore

logger = logging.getLogger(__name__)

SEAL_FIELD = "Sigill"
GENERATED_FILE = "seal.pem"  # key and self-signed certificate, in SEAL_DIR
GENERATED_NAME = "Samverkansportalen (självsignerat sigill)"
GENERATED_YEARS = 10
# A seal certificate for documents asserts non-repudiation (content
# commitment); a general signing certificate may carry digital signature only.
KEY_USAGE = KeyUsageConstraints(
    key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False
)
# An uploaded file has at most this many seals read (a PDF with thousands of
# signature-like strings costs nothing more).
MAX_SEALS_READ = 10
_SIGNATURE_CONTENTS = re.compile(rb"/Contents\s*<([0-9A-Fa-f\s]{64,})>")
_ENCRYPT = re.compile(rb"/Encrypt\s+\d+\s+\d+\s+R")


class SealUnavailable(Exception):
    """The installation's certificate cannot be used (missing, unreadable, the
    key does not belong to it, expired). For the log, and the administrators."""


class Unreadable(ValueError):
    """An upload that is not a PDF the check can read; the message is for the user."""


@dataclass(frozen=True)
class SealKey:
    signer: signers.SimpleSigner
    certificate: x509.Certificate

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.certificate)


@dataclass(frozen=True)
class SealedPdf:
    """A sealed file: its bytes, the identity of its seal (SHA-256 of the
    signature value: no two seals share it) and the SHA-256 fingerprint of
    the certificate it was made with."""

    data: bytes
    signature: str
    certificate: str


@dataclass(frozen=True)
class FoundSeal:
    """A seal read from an uploaded file: its identity, and the fingerprint of
    the certificate it names as its signer ("" when it names none it carries)."""

    signature: str
    certificate: str


def _without_event_loop[T](function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call `function` where it may start an event loop of its own: pyHanko's
    synchronous API runs its async core with `asyncio.run`, which refuses to
    start inside a running loop (a thread that also drives Playwright's sync
    API, in the browser tests). There it runs in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def fingerprint(certificate: x509.Certificate) -> str:
    return hashlib.sha256(certificate.dump()).hexdigest()


def _signature_identity(signer_info: cms.SignerInfo) -> str:
    return hashlib.sha256(bytes(signer_info["signature"].native)).hexdigest()


# The installation's certificate ---------------------------------------------------


def installation_key(*, create: bool = True) -> SealKey | None:
    """The certificate and key that seal documents: the configured ones, else
    the self-signed pair in SEAL_DIR, generated now if `create` and missing
    (None if not `create` and missing)."""
    certificate = str(getattr(settings, "SEAL_CERTIFICATE", "") or "")
    key = str(getattr(settings, "SEAL_KEY", "") or "")
    passphrase = str(getattr(settings, "SEAL_KEY_PASSPHRASE", "") or "")
    if certificate or key:
        return _configured(certificate, key, passphrase)
    directory = Path(settings.SEAL_DIR)
    if not (directory / GENERATED_FILE).exists():
        if not create:
            return None
        _generate(directory)
    return _generated(str(directory))


def _read(path: str, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise SealUnavailable(f"{what} {path!r} cannot be read: {error}") from error


def _key_pair(pem: bytes, key_pem: bytes, passphrase: bytes | None, source: str) -> SealKey:
    try:
        certificates = list(load_certs_from_pemder_data(pem))
        private_key = load_private_key_from_pemder_data(key_pem, passphrase=passphrase)
    except (ValueError, TypeError) as error:
        raise SealUnavailable(
            f"The seal certificate or key in {source} is not usable: {error}"
        ) from error
    if not certificates:
        raise SealUnavailable(f"No certificate in {source}.")
    signer = signers.SimpleSigner(
        signing_cert=certificates[0],
        signing_key=private_key,
        cert_registry=SimpleCertificateStore.from_certs(certificates[1:]),
    )
    return SealKey(signer=signer, certificate=certificates[0])


@functools.cache
def _configured(certificate: str, key: str, passphrase: str) -> SealKey:
    if not (certificate and key):
        raise SealUnavailable("Set both SEAL_CERTIFICATE and SEAL_KEY, or neither.")
    return _key_pair(
        _read(certificate, "SEAL_CERTIFICATE"),
        _read(key, "SEAL_KEY"),
        passphrase.encode() or None,
        "SEAL_CERTIFICATE/SEAL_KEY",
    )


@functools.cache
def _generated(directory: str) -> SealKey:
    path = Path(directory) / GENERATED_FILE
    pem = _read(str(path), "The generated seal")
    return _key_pair(pem, pem, None, str(path))


def _generate(directory: Path) -> None:
    """A self-signed seal certificate and its key, written once: into a
    private file beside it first, then linked into place, so that two processes
    generating at once keep one of them (the other's link fails) and nobody
    reads half a file."""
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        private_key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
        name = pyca_x509.Name(
            [
                pyca_x509.NameAttribute(NameOID.COMMON_NAME, GENERATED_NAME),
                pyca_x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Samverkansportalen"),
            ]
        )
        now = datetime.datetime.now(datetime.UTC)
        certificate = (
            pyca_x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(private_key.public_key())
            .serial_number(pyca_x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=365 * GENERATED_YEARS))
            .add_extension(pyca_x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                pyca_x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=True,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(
                pyca_x509.SubjectKeyIdentifier.from_public_key(private_key.public_key()),
                critical=False,
            )
            .sign(private_key, hashes.SHA256())
        )
        pem = private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ) + certificate.public_bytes(serialization.Encoding.PEM)
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".seal-", suffix=".pem")
        try:
            with os.fdopen(handle, "wb") as out:  # mkstemp: readable by the owner only
                out.write(pem)
                out.flush()
                os.fsync(out.fileno())
            # Another process was first: its certificate is the one.
            with contextlib.suppress(FileExistsError):
                os.link(temporary, directory / GENERATED_FILE)
        finally:
            os.unlink(temporary)
    except OSError as error:
        raise SealUnavailable(
            f"Cannot write the seal certificate to {directory}: {error}"
        ) from error
    logger.warning(
        "Generated a self-signed seal certificate in %s; set SEAL_CERTIFICATE and SEAL_KEY "
        "for one that PDF readers trust",
        directory,
    )


# Sealing --------------------------------------------------------------------------


def seal_pdf(data: bytes, *, reason: str, location: str) -> SealedPdf:
    """`data` with the installation's seal: an invisible PAdES signature
    (PAdES-B-B: no time-stamp authority is configured) covering the whole file,
    with `reason` and `location` where PDF readers show them. The result is
    checked with pyHanko's validator before it is returned."""
    key = installation_key()
    assert key is not None
    metadata = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    output = _without_event_loop(signers.PdfSigner(metadata, signer=key.signer).sign_pdf, writer)
    sealed = output.getvalue()
    signature = _verified_identity(sealed, key)
    return SealedPdf(data=sealed, signature=signature, certificate=key.fingerprint)


def _verified_identity(sealed: bytes, key: SealKey) -> str:
    embedded = PdfFileReader(io.BytesIO(sealed)).embedded_signatures[-1]
    status = _without_event_loop(
        validate_pdf_signature,
        embedded,
        ValidationContext(trust_roots=[key.certificate], allow_fetching=False),
        key_usage_settings=KEY_USAGE,
        skip_diff=True,
    )
    if not (status.bottom_line and status.coverage == SignatureCoverageLevel.ENTIRE_FILE):
        raise SealUnavailable(
            "A freshly sealed PDF does not validate: does the key belong to the certificate, "
            "and is the certificate valid today (with digital signature or non-repudiation "
            "among its key usages)?\n" + status.pretty_print_details()
        )
    return _signature_identity(embedded.signer_info)


# Reading an uploaded copy --------------------------------------------------------


def read_seals(data: bytes) -> list[FoundSeal]:
    """The seals of an uploaded file, read from its bytes (so a damaged file
    still shows whose seal it carries). `Unreadable` for a file that is not a
    PDF, is encrypted, or carries no seal and cannot be read as a PDF."""
    if not data.startswith(b"%PDF-"):
        raise Unreadable(_("The file is not a PDF."))
    reader = _reader(data)
    encrypted = reader.encrypted if reader is not None else _ENCRYPT.search(data) is not None
    if encrypted:
        raise Unreadable(
            _("The file is encrypted (password-protected). A sealed document never is.")
        )
    found = list(_scan(data))
    if not found and reader is None:
        raise Unreadable(_("The file could not be read as a PDF. It may be damaged."))
    return found


def _reader(data: bytes) -> PdfFileReader | None:
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        reader.root  # noqa: B018  (reads the document catalogue: fails for a broken file)
    except Exception:  # a hostile file may break the parser in any way
        logger.debug("An uploaded PDF could not be parsed", exc_info=True)
        return None
    return reader


def _scan(data: bytes) -> Iterator[FoundSeal]:
    """Every CMS signature in the file's signature dictionaries (`/Contents <hex>`)."""
    for count, match in enumerate(_SIGNATURE_CONTENTS.finditer(data)):
        if count >= MAX_SEALS_READ:
            return
        found = _found_seal(match.group(1))
        if found is not None:
            yield found


def _found_seal(hexdigits: bytes) -> FoundSeal | None:
    try:
        der = bytes.fromhex(re.sub(rb"\s+", b"", hexdigits).decode("ascii"))
        content = cms.ContentInfo.load(der, strict=False)  # the zeros after it: padding
        if content["content_type"].native != "signed_data":
            return None
        signed: cms.SignedData = content["content"]
        signer_info = signed["signer_infos"][0]
        signature = _signature_identity(signer_info)
        certificate = _signer_fingerprint(signed, signer_info)
    except Exception:  # hostile ASN.1 may fail in any way
        logger.debug("A signature-like string in an upload is not a signature", exc_info=True)
        return None
    return FoundSeal(signature=signature, certificate=certificate)


def _signer_fingerprint(signed: cms.SignedData, signer_info: cms.SignerInfo) -> str:
    sid = signer_info["sid"]
    for choice in signed["certificates"] or ():
        if not isinstance(choice.chosen, x509.Certificate):
            continue
        certificate = choice.chosen
        if sid.name == "issuer_and_serial_number":
            matches = (
                sid.chosen["issuer"] == certificate.issuer
                and sid.chosen["serial_number"].native == certificate.serial_number
            )
        else:
            matches = sid.chosen.native == certificate.key_identifier
        if matches:
            return fingerprint(certificate)
    return ""


def verify(data: bytes, *, signature: str, certificate: str, moment: datetime.datetime) -> bool:
    """Whether pyHanko's validator finds the seal `signature` in `data` intact
    and sound, made with the certificate of fingerprint `certificate` (trusted
    as it was at `moment`, when the file was sealed: a certificate that has
    expired since still seals what it sealed), and covering the whole file."""
    reader = _reader(data)
    if reader is None:
        return False
    try:
        for embedded in reader.embedded_signatures:
            if _signature_identity(embedded.signer_info) != signature:
                continue
            signer: x509.Certificate = embedded.signer_cert
            if fingerprint(signer) != certificate:
                return False
            status = _without_event_loop(
                validate_pdf_signature,
                embedded,
                ValidationContext(trust_roots=[signer], moment=moment, allow_fetching=False),
                key_usage_settings=KEY_USAGE,
                skip_diff=True,
            )
            return bool(
                status.bottom_line and status.coverage == SignatureCoverageLevel.ENTIRE_FILE
            )
    except Exception:  # a changed file may break the validator in any way
        logger.debug("An uploaded PDF's seal could not be validated", exc_info=True)
    return False
