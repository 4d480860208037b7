"""Off-chain trade documents: canonical JSON and hashing, the DCSA eBL 3.0 transport document, the trade documents
beside it, the customs declaration, samples, and a local store.

The chain stores only a document's hash: the keccak256 of its canonical JSON (RFC 8785 JCS: sorted keys, no
whitespace, UTF-8, ECMAScript number formatting), so key order and whitespace never change the hash.

==========================  ========================================================================================
:mod:`.canonical`           canonical JSON (``rfc8785``), :func:`document_hash`, :func:`verify`, strict JSON text
:mod:`.transport`           :class:`TransportDocument`: a bill of lading or sea waybill, DCSA eBL 3.0 JSON
:mod:`.dcsa_ebl`            DCSA's eBL 3.0.4 specification: its schema, prose rules and published examples
:mod:`.trade`               invoice, packing list, certificates of origin, insurance and inspection; :class:`DocType`
:mod:`.declaration`         :class:`CustomsDeclaration`: the goods items a customs declaration states
:mod:`.samples`             one consistent shipment: ``sample_transport_document()``, ``sample_commercial_invoice()``...
:mod:`.store`               :class:`DocumentStore`, content-addressed files
==========================  ========================================================================================

>>> canonical_json({"b": 1, "a": [1.0, 2.5, 1e21, None]})
b'{"a":[1,2.5,1e+21,null],"b":1}'
>>> doc = sample_transport_document()
>>> doc.port_of_loading, doc.port_of_discharge, len(doc.hash())
('CNSZX', 'NLRTM', 32)
>>> verify(doc.to_json(), doc.hash()), verify(doc.to_json(), document_hash({"other": "document"}))
(True, False)
>>> TransportDocument.from_json({**doc.to_json(), "portOfLoading": "NLRTM"})
Traceback (most recent call last):
...
portchain.errors.InputError: transportDocument: Additional properties are not allowed ('portOfLoading' was unexpected)

Documents stay off-chain in a content-addressed :class:`DocumentStore`::

    store = DocumentStore(Path("documents"))
    h = store.put(doc)            # writes documents/<hex hash>.json (canonical JSON)
    store.get(h)                  # the JSON object, re-hashed on read
"""

from __future__ import annotations

from ..types import DocType, iso6346_check_digit
from .canonical import HASH_ALGORITHMS, canonical_json, document_hash, json_value, parse_json_text, verify
from .declaration import CustomsDeclaration, DeclaredGoods
from .samples import (
    sample_certificate_of_origin,
    sample_commercial_invoice,
    sample_consignee_party,
    sample_inspection_certificate,
    sample_insurance_certificate,
    sample_packing_list,
    sample_trade_documents,
    sample_transport_document,
)
from .store import DocumentIntegrityError, DocumentNotFoundError, DocumentStore
from .trade import (
    INCOTERMS,
    INSPECTION_RESULTS,
    Address,
    CertificateOfOrigin,
    CommercialInvoice,
    GoodsItem,
    IdentifyingCode,
    InspectionCertificate,
    InsuranceCertificate,
    LineItem,
    Package,
    PackingList,
    Party,
    TradeDocument,
    document_class,
    load_trade_document,
)
from .transport import PARTY_ROLES, TransportDocument

__all__ = [
    "CustomsDeclaration",
    "DeclaredGoods",
    "HASH_ALGORITHMS",
    "INCOTERMS",
    "INSPECTION_RESULTS",
    "PARTY_ROLES",
    "Address",
    "CertificateOfOrigin",
    "CommercialInvoice",
    "DocType",
    "DocumentIntegrityError",
    "DocumentNotFoundError",
    "DocumentStore",
    "GoodsItem",
    "IdentifyingCode",
    "InspectionCertificate",
    "InsuranceCertificate",
    "LineItem",
    "Package",
    "PackingList",
    "Party",
    "TradeDocument",
    "TransportDocument",
    "canonical_json",
    "document_class",
    "document_hash",
    "iso6346_check_digit",
    "json_value",
    "load_trade_document",
    "parse_json_text",
    "sample_certificate_of_origin",
    "sample_commercial_invoice",
    "sample_consignee_party",
    "sample_inspection_certificate",
    "sample_insurance_certificate",
    "sample_packing_list",
    "sample_trade_documents",
    "sample_transport_document",
    "verify",
]
