"""Helpers for the tests of sealed PDFs (portal/documents/seals.py): pyHanko's validator
as an outsider would run it, certificates of a test CA, and files changed by
one byte or made in other ways the check must see through."""

from __future__ import annotations

import datetime
import io
import warnings
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.oid import NameOID

from portal.documents import seals

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", category=CryptographyDeprecationWarning)
    from pyhanko.keys import load_private_key_from_pemder_data
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.pdf_utils.writer import copy_into_new_writer
    from pyhanko.sign import fields, signers
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import PdfSignatureStatus
    from pyhanko_certvalidator import ValidationContext
    from pyhanko_certvalidator.registry import SimpleCertificateStore


def validate(data: bytes, trusted: asn1_x509.Certificate) -> PdfSignatureStatus:
    """pyHanko's verdict on the file's (only) signature, trusting `trusted` alone."""
    reader = PdfFileReader(io.BytesIO(data))
    (embedded,) = reader.embedded_signatures
    # (Outside the event loop Playwright runs in this thread, in a browser test.)
    return seals._without_event_loop(
        validate_pdf_signature,
        embedded,
        ValidationContext(trust_roots=[trusted], allow_fetching=False),
    )


def signed_range(data: bytes) -> tuple[int, int, int, int]:
    """The signature's /ByteRange: [start, length, start, length] (the hole
    between the two parts is the signature itself, hex)."""
    (embedded,) = PdfFileReader(io.BytesIO(data)).embedded_signatures
    start1, length1, start2, length2 = (int(x) for x in embedded.sig_object["/ByteRange"])
    return start1, length1, start2, length2


def with_byte_changed(data: bytes, at: int) -> bytes:
    """`data` with the byte at `at` changed to another printable one."""
    changed = bytearray(data)
    changed[at] = ord("7") if changed[at] != ord("7") else ord("8")
    return bytes(changed)


def in_the_text(data: bytes, text: bytes) -> int:
    """The position of `text` in the file (it must be there, once at least)."""
    at = data.find(text)
    assert at >= 0, text
    return at


def encrypted(data: bytes) -> bytes:
    """The PDF, password-protected."""
    writer = copy_into_new_writer(PdfFileReader(io.BytesIO(data)))
    writer.encrypt("eier", "läsare")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@dataclass
class IssuedCertificate:
    certificate_pem: bytes
    key_pem: bytes  # encrypted with the passphrase, when one was given
    plain_key_pem: bytes
    certificate: asn1_x509.Certificate
    ca: asn1_x509.Certificate
    ca_pem: bytes

    def write(self, folder: Path) -> tuple[Path, Path]:
        """The certificate (with the CA after it, a chain) and key as PEM files."""
        folder.mkdir(parents=True, exist_ok=True)
        cert_path, key_path = folder / "sigill.pem", folder / "sigill-nyckel.pem"
        cert_path.write_bytes(self.certificate_pem + self.ca_pem)
        key_path.write_bytes(self.key_pem)
        return cert_path, key_path

    def signer(self) -> signers.SimpleSigner:
        return signers.SimpleSigner(
            signing_cert=self.certificate,
            signing_key=load_private_key_from_pemder_data(self.plain_key_pem, passphrase=None),
            cert_registry=SimpleCertificateStore.from_certs([self.ca]),
        )


def issued_certificate(
    name: str = "Region Testlän e-sigill", *, passphrase: bytes | None = None
) -> IssuedCertificate:
    """An organisation certificate for seals, issued by a test CA (as a real
    one would be), its key protected by `passphrase` if given."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test-CA för sigill")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    leaf = (
        x509.CertificateBuilder()
        .subject_name(
            x509.Name(
                [
                    x509.NameAttribute(NameOID.COMMON_NAME, name),
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Region Testlän"),
                ]
            )
        )
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365))
        .add_extension(
            x509.KeyUsage(
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
        .sign(ca_key, hashes.SHA256())
    )
    encryption = (
        serialization.BestAvailableEncryption(passphrase)
        if passphrase
        else serialization.NoEncryption()
    )
    der = leaf.public_bytes(serialization.Encoding.DER)
    return IssuedCertificate(
        certificate_pem=leaf.public_bytes(serialization.Encoding.PEM),
        key_pem=key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        ),
        plain_key_pem=key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
        certificate=asn1_x509.Certificate.load(der),
        ca=asn1_x509.Certificate.load(ca.public_bytes(serialization.Encoding.DER)),
        ca_pem=ca.public_bytes(serialization.Encoding.PEM),
    )


def signed_by(data: bytes, certificate: IssuedCertificate) -> bytes:
    """The PDF signed by someone else's certificate (not the portal's seal)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    metadata = signers.PdfSignatureMetadata(
        field_name="Underskrift", subfilter=fields.SigSeedSubFilter.PADES
    )
    signer = signers.PdfSigner(metadata, signer=certificate.signer())
    return seals._without_event_loop(signer.sign_pdf, writer).getvalue()
