"""RFC 8785 (JCS) conformance of ``canonical_json``: the RFC's own examples, byte for byte.

Appendix B gives IEEE-754 doubles (as big-endian hex) and the text JCS must write for them; section 3.2.3 gives the
key-sorting example (UTF-16 code units), section 3.2.2 a whole object and 3.2.4 its UTF-8 bytes. The SDK refuses
integers beyond 2**53 - 1, so the vectors are given as floats, as the RFC means them.
"""

from __future__ import annotations

import json
import struct

import pytest
from eth_utils.crypto import keccak

from portchain.documents import canonical_json, document_hash
from portchain.errors import InputError


def double(bits: str) -> float:
    """The IEEE-754 double with these 64 bits (16 hex digits, big-endian)."""
    value: float = struct.unpack(">d", bytes.fromhex(bits))[0]
    return value


# RFC 8785 Appendix B: "Number Serialization Samples"
APPENDIX_B = [
    ("0000000000000000", "0"),  # zero
    ("8000000000000000", "0"),  # minus zero
    ("0000000000000001", "5e-324"),  # min pos number
    ("8000000000000001", "-5e-324"),  # min neg number
    ("7fefffffffffffff", "1.7976931348623157e+308"),  # max pos number
    ("ffefffffffffffff", "-1.7976931348623157e+308"),  # max neg number
    ("4340000000000000", "9007199254740992"),  # max pos int
    ("c340000000000000", "-9007199254740992"),  # max neg int
    ("4430000000000000", "295147905179352830000"),  # ~2**68
    ("44b52d02c7e14af5", "9.999999999999997e+22"),
    ("44b52d02c7e14af6", "1e+23"),
    ("44b52d02c7e14af7", "1.0000000000000001e+23"),
    ("444b1ae4d6e2ef4e", "999999999999999700000"),
    ("444b1ae4d6e2ef4f", "999999999999999900000"),
    ("444b1ae4d6e2ef50", "1e+21"),
    ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"),
    ("3eb0c6f7a0b5ed8d", "0.000001"),
    ("41b3de4355555553", "333333333.3333332"),
    ("41b3de4355555554", "333333333.33333325"),
    ("41b3de4355555555", "333333333.3333333"),
    ("41b3de4355555556", "333333333.3333334"),
    ("41b3de4355555557", "333333333.33333343"),
    ("becbf647612f3696", "-0.0000033333333333333333"),
    ("43143ff3c1cb0959", "1424953923781206.2"),  # round to even
]


@pytest.mark.parametrize("bits, text", APPENDIX_B, ids=[bits for bits, _ in APPENDIX_B])
def test_appendix_b_number_serialization(bits: str, text: str) -> None:
    value = double(bits)
    assert canonical_json(value) == text.encode()
    assert canonical_json({"n": value}) == b'{"n":' + text.encode() + b"}"
    assert float(text) == value or value == 0  # the text reads back as the same double (-0 is written "0")


@pytest.mark.parametrize(
    "bits, message",
    [  # Appendix B's two rows JCS cannot write: the SDK refuses them
        ("7fffffffffffffff", "$: nan is not a valid JSON number (NaN and Infinity are refused)"),
        ("7ff0000000000000", "$: inf is not a valid JSON number (NaN and Infinity are refused)"),
    ],
)
def test_appendix_b_nan_and_infinity_are_refused(bits: str, message: str) -> None:
    with pytest.raises(InputError) as info:
        canonical_json(double(bits))
    assert str(info.value) == message


def test_section_3_2_3_keys_sort_by_utf16_code_units() -> None:
    value = {
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\U0001f600": "Emoji: Grinning Face",
        "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis",
    }
    expected = [
        "Carriage Return",
        "One",
        "Control",
        "Latin Small Letter O With Diaeresis",
        "Euro Sign",
        "Emoji: Grinning Face",  # U+1F600 is D83D DE00 in UTF-16: before U+FB33, after it by code point
        "Hebrew Letter Dalet With Dagesh",
    ]
    assert list(json.loads(canonical_json(value)).values()) == expected


# Section 3.2.2's input, as JSON text, and 3.2.4's canonical form of it as UTF-8 bytes
SECTION_3_2_2 = r"""{
  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
  "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
  "literals": [null, true, false]
}"""
SECTION_3_2_4 = """
7b 22 6c 69 74 65 72 61 6c 73 22 3a 5b 6e 75 6c 6c 2c 74 72
75 65 2c 66 61 6c 73 65 5d 2c 22 6e 75 6d 62 65 72 73 22 3a
5b 33 33 33 33 33 33 33 33 33 2e 33 33 33 33 33 33 33 2c 31
65 2b 33 30 2c 34 2e 35 2c 30 2e 30 30 32 2c 31 65 2d 32 37
5d 2c 22 73 74 72 69 6e 67 22 3a 22 e2 82 ac 24 5c 75 30 30
30 66 5c 6e 41 27 42 5c 22 5c 5c 5c 5c 5c 22 2f 22 7d
"""


def test_sections_3_2_2_to_3_2_4_sample() -> None:
    expected = bytes.fromhex("".join(SECTION_3_2_4.split()))
    text = expected.decode("utf-8")
    assert text == (
        '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
        '"string":"\u20ac$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
    )
    assert canonical_json(json.loads(SECTION_3_2_2)) == expected
    assert document_hash(SECTION_3_2_2) == document_hash(text) == keccak(expected)
