/// Expected report.json bytes, reviewed by hand (and checked once against Python's json
/// module and a draft 2020-12 validator). Raw string literals: what you read is what the
/// file holds, escapes included; the empty last line is the file's final newline.
enum Golden {
    static let emptyReport = #"""
    {
      "schema_version": 1,
      "run": {
        "window": {
          "since": "2024-01-10T00:00:00Z",
          "until": "2024-01-11T00:00:00Z"
        },
        "as_of": "2024-01-11T06:00:00Z",
        "tool_version": "0.3.0",
        "api_base_url": "https://api.example.test/v1",
        "fail_on": "warning",
        "requests_by_endpoint": {
          "GET /invoices/{id}": 2,
          "GET /payouts": 1,
          "GET /payouts/{id}/transactions": 3,
          "POST /oauth/token": 1
        },
        "retries_by_endpoint": {
          "GET /payouts": 1
        },
        "requests_total": 7,
        "retries_total": 1
      },
      "summary": {
        "payouts": 0,
        "lines": 0,
        "lines_by_rule": {
          "ambiguous": 0,
          "not_applicable": 0,
          "payments_lookup": 0,
          "payout_link": 0,
          "suggested": 0,
          "unmatched": 0,
          "unreadable": 0
        },
        "diagnostics_by_code": {
          "AMOUNT_OVERFLOW": 0,
          "BANK_CREDIT_UNMATCHED": 0,
          "BANK_ENTRY_UNREADABLE": 0,
          "BANK_MATCH_AMBIGUOUS": 0,
          "BANK_STATEMENT_GAP": 0,
          "INVOICE_DUPLICATE_PAYMENT": 0,
          "INVOICE_LINE_ITEMS_MISMATCH": 0,
          "INVOICE_OVERPAID": 0,
          "INVOICE_PAID_WITHOUT_PAYMENT": 0,
          "INVOICE_PARTIALLY_PAID": 0,
          "INVOICE_PAYMENT_NOT_PAID_OUT": 0,
          "INVOICE_STATUS_STALE": 0,
          "INVOICE_UNDERPAID": 0,
          "PAYMENT_REQUEST_PAID_WITHOUT_PAYMENT": 0,
          "PAYMENT_REQUEST_STATUS_STALE": 0,
          "PAYOUT_AMOUNT_MISMATCH": 0,
          "PAYOUT_BANK_AMOUNT_MISMATCH": 0,
          "PAYOUT_CURRENCY_MISMATCH": 0,
          "PAYOUT_EMPTY": 0,
          "PAYOUT_FAILED": 0,
          "PAYOUT_FAILED_BUT_CREDITED": 0,
          "PAYOUT_NOT_IN_BANK": 0,
          "RECORD_UNREADABLE": 0,
          "REFUND_WITHOUT_PAYMENT": 0,
          "TXN_AMBIGUOUS_MATCH": 0,
          "TXN_AMOUNT_MISMATCH": 0,
          "TXN_CURRENCY_MISMATCH": 0,
          "TXN_INVOICE_NOT_FOUND": 0,
          "TXN_IN_MULTIPLE_PAYOUTS": 0,
          "TXN_NOT_SUCCEEDED": 0,
          "TXN_PAYMENT_REQUEST_NOT_FOUND": 0,
          "TXN_SUGGESTED_MATCH": 0,
          "TXN_UNLINKED": 0
        },
        "diagnostics_by_severity": {
          "error": 0,
          "info": 0,
          "warning": 0
        },
        "currencies": []
      },
      "payouts": [],
      "invoices": [],
      "payment_requests": [],
      "diagnostics": [],
      "open_items": null,
      "at_stake": {
        "currencies": [],
        "by_code": []
      },
      "ageing": [],
      "acknowledgements": null,
      "bank": null
    }

    """#

    static let sampleReport = #"""
    {
      "schema_version": 1,
      "run": {
        "window": {
          "since": "2024-01-10T00:00:00Z",
          "until": "2024-01-11T00:00:00Z"
        },
        "as_of": "2024-01-11T06:00:00Z",
        "tool_version": "0.3.0",
        "api_base_url": "https://api.example.test/v1",
        "fail_on": "warning",
        "requests_by_endpoint": {
          "GET /invoices/{id}": 2,
          "GET /payouts": 1,
          "GET /payouts/{id}/transactions": 3,
          "POST /oauth/token": 1
        },
        "retries_by_endpoint": {
          "GET /payouts": 1
        },
        "requests_total": 7,
        "retries_total": 1
      },
      "summary": {
        "payouts": 3,
        "lines": 5,
        "lines_by_rule": {
          "ambiguous": 0,
          "not_applicable": 1,
          "payments_lookup": 0,
          "payout_link": 2,
          "suggested": 1,
          "unmatched": 0,
          "unreadable": 1
        },
        "diagnostics_by_code": {
          "AMOUNT_OVERFLOW": 0,
          "BANK_CREDIT_UNMATCHED": 0,
          "BANK_ENTRY_UNREADABLE": 0,
          "BANK_MATCH_AMBIGUOUS": 0,
          "BANK_STATEMENT_GAP": 0,
          "INVOICE_DUPLICATE_PAYMENT": 0,
          "INVOICE_LINE_ITEMS_MISMATCH": 0,
          "INVOICE_OVERPAID": 0,
          "INVOICE_PAID_WITHOUT_PAYMENT": 0,
          "INVOICE_PARTIALLY_PAID": 0,
          "INVOICE_PAYMENT_NOT_PAID_OUT": 0,
          "INVOICE_STATUS_STALE": 0,
          "INVOICE_UNDERPAID": 0,
          "PAYMENT_REQUEST_PAID_WITHOUT_PAYMENT": 0,
          "PAYMENT_REQUEST_STATUS_STALE": 0,
          "PAYOUT_AMOUNT_MISMATCH": 1,
          "PAYOUT_BANK_AMOUNT_MISMATCH": 0,
          "PAYOUT_CURRENCY_MISMATCH": 0,
          "PAYOUT_EMPTY": 0,
          "PAYOUT_FAILED": 0,
          "PAYOUT_FAILED_BUT_CREDITED": 0,
          "PAYOUT_NOT_IN_BANK": 0,
          "RECORD_UNREADABLE": 1,
          "REFUND_WITHOUT_PAYMENT": 0,
          "TXN_AMBIGUOUS_MATCH": 0,
          "TXN_AMOUNT_MISMATCH": 0,
          "TXN_CURRENCY_MISMATCH": 0,
          "TXN_INVOICE_NOT_FOUND": 0,
          "TXN_IN_MULTIPLE_PAYOUTS": 0,
          "TXN_NOT_SUCCEEDED": 0,
          "TXN_PAYMENT_REQUEST_NOT_FOUND": 0,
          "TXN_SUGGESTED_MATCH": 1,
          "TXN_UNLINKED": 0
        },
        "diagnostics_by_severity": {
          "error": 2,
          "info": 0,
          "warning": 1
        },
        "currencies": [
          {
            "currency": "BHD",
            "payouts": 1,
            "payout_amount": {
              "minor": -1500,
              "decimal": "-1.500"
            },
            "inbound": {
              "minor": 0,
              "decimal": "0.000"
            },
            "outbound": {
              "minor": 1500,
              "decimal": "1.500"
            },
            "outbound_by_type": [
              {
                "type": "refund",
                "amount": {
                  "minor": 1500,
                  "decimal": "1.500"
                }
              }
            ]
          },
          {
            "currency": "JPY",
            "payouts": 1,
            "payout_amount": {
              "minor": 1500,
              "decimal": "1500"
            },
            "inbound": {
              "minor": 1500,
              "decimal": "1500"
            },
            "outbound": {
              "minor": 0,
              "decimal": "0"
            },
            "outbound_by_type": []
          },
          {
            "currency": "USD",
            "payouts": 1,
            "payout_amount": {
              "minor": 147500,
              "decimal": "1475.00"
            },
            "inbound": {
              "minor": 150000,
              "decimal": "1500.00"
            },
            "outbound": null,
            "outbound_by_type": [
              {
                "type": "fee",
                "amount": null
              }
            ]
          }
        ]
      },
      "payouts": [
        {
          "id": "po_1",
          "status": "succeeded",
          "created_at": "2024-01-10T12:00:00Z",
          "currency": "USD",
          "amount": {
            "minor": 147500,
            "decimal": "1475.00"
          },
          "computed_amount": {
            "minor": 148750,
            "decimal": "1487.50"
          },
          "difference": {
            "minor": -1250,
            "decimal": "-12.50"
          },
          "diagnostics": 2,
          "bank_entry_ids": [],
          "lines": [
            {
              "position": 0,
              "id": "txn,1",
              "type": "payment",
              "direction": "inbound",
              "status": "succeeded",
              "currency": "USD",
              "amount": {
                "minor": 150000,
                "decimal": "1500.00"
              },
              "customer_id": "cus_é",
              "match": "payout_link",
              "invoice_id": "inv_\"q\"",
              "payment_request_id": null,
              "candidate_invoice_ids": [],
              "counted_in_amount": true,
              "first_seen_in_payout_id": null
            },
            {
              "position": 1,
              "id": "=1+1",
              "type": "fee",
              "direction": "outbound",
              "status": "\r=x",
              "currency": "USD",
              "amount": {
                "minor": 1250,
                "decimal": "12.50"
              },
              "customer_id": null,
              "match": "not_applicable",
              "invoice_id": null,
              "payment_request_id": null,
              "candidate_invoice_ids": [],
              "counted_in_amount": true,
              "first_seen_in_payout_id": null
            },
            {
              "position": 2,
              "id": "txn_bad",
              "type": null,
              "direction": null,
              "status": null,
              "currency": null,
              "amount": null,
              "customer_id": null,
              "match": "unreadable",
              "invoice_id": null,
              "payment_request_id": null,
              "candidate_invoice_ids": [],
              "counted_in_amount": false,
              "first_seen_in_payout_id": null
            }
          ]
        },
        {
          "id": "po_jpy",
          "status": "succeeded",
          "created_at": "2024-01-10T13:00:00Z",
          "currency": "JPY",
          "amount": {
            "minor": 1500,
            "decimal": "1500"
          },
          "computed_amount": {
            "minor": 1500,
            "decimal": "1500"
          },
          "difference": {
            "minor": 0,
            "decimal": "0"
          },
          "diagnostics": 1,
          "bank_entry_ids": [],
          "lines": [
            {
              "position": 0,
              "id": "+1",
              "type": "payment",
              "direction": "inbound",
              "status": "succeeded",
              "currency": "JPY",
              "amount": {
                "minor": 1500,
                "decimal": "1500"
              },
              "customer_id": "日本語",
              "match": "suggested",
              "invoice_id": null,
              "payment_request_id": null,
              "candidate_invoice_ids": [
                "\t=x",
                "@SUM(A1)"
              ],
              "counted_in_amount": true,
              "first_seen_in_payout_id": "po_1"
            }
          ]
        },
        {
          "id": "po_bhd",
          "status": "@hold",
          "created_at": "2024-01-10T14:00:00.5Z",
          "currency": "BHD",
          "amount": {
            "minor": -1500,
            "decimal": "-1.500"
          },
          "computed_amount": {
            "minor": -1500,
            "decimal": "-1.500"
          },
          "difference": {
            "minor": 0,
            "decimal": "0.000"
          },
          "diagnostics": 0,
          "bank_entry_ids": [],
          "lines": [
            {
              "position": 0,
              "id": "-1",
              "type": "refund",
              "direction": "outbound",
              "status": "succeeded",
              "currency": "BHD",
              "amount": {
                "minor": 1500,
                "decimal": "1.500"
              },
              "customer_id": null,
              "match": "payout_link",
              "invoice_id": null,
              "payment_request_id": "pr_1",
              "candidate_invoice_ids": [],
              "counted_in_amount": true,
              "first_seen_in_payout_id": null
            }
          ]
        }
      ],
      "invoices": [
        {
          "id": "@SUM(A1)",
          "customer_id": "日本語",
          "status": "OPEN",
          "currency": "JPY",
          "amount": {
            "minor": 1500,
            "decimal": "1500"
          },
          "net_settled": {
            "minor": 0,
            "decimal": "0"
          },
          "settled_payment_ids": [],
          "state": "unsettled",
          "diagnostics": 0
        },
        {
          "id": "inv_\"q\"",
          "customer_id": "cus_é",
          "status": "PAID",
          "currency": "USD",
          "amount": {
            "minor": 150000,
            "decimal": "1500.00"
          },
          "net_settled": {
            "minor": 150000,
            "decimal": "1500.00"
          },
          "settled_payment_ids": [
            "txn,1"
          ],
          "state": "settled",
          "diagnostics": 0
        }
      ],
      "payment_requests": [
        {
          "id": "pr_1",
          "reference_id": "=HYPERLINK(\"x\")",
          "status": "PENDING",
          "currency": "BHD",
          "amount": {
            "minor": 1500,
            "decimal": "1.500"
          },
          "net_settled": null,
          "settled_payment_ids": [],
          "state": "unknown",
          "expected": true,
          "diagnostics": 0
        }
      ],
      "diagnostics": [
        {
          "code": "PAYOUT_AMOUNT_MISMATCH",
          "severity": "error",
          "message": "Payout po_1 pays 1475.00 USD but its transactions add up to 1487.50 USD.",
          "payout_id": "po_1",
          "transaction_id": null,
          "invoice_id": null,
          "payment_request_id": null,
          "expected": 148750,
          "actual": 147500,
          "delta": -1250,
          "currency": "USD",
          "expected_decimal": "1487.50",
          "actual_decimal": "1475.00",
          "delta_decimal": "-12.50",
          "candidate_invoice_ids": [],
          "bank_entry_id": null,
          "candidate_bank_entry_ids": [],
          "endpoint": null,
          "reason": null,
          "raw_json": null,
          "fingerprint": "PAYOUT_AMOUNT_MISMATCH|po_1|||",
          "status": null,
          "first_seen": null,
          "age_days": null,
          "amount_at_stake": {
            "minor": 1250,
            "decimal": "12.50"
          },
          "ageing_bucket": "0-7",
          "disposition": "open",
          "acknowledgement": null
        },
        {
          "code": "RECORD_UNREADABLE",
          "severity": "error",
          "message": "A transaction of payout po_1 cannot be read:\nfix it at the source.",
          "payout_id": "po_1",
          "transaction_id": "txn_bad",
          "invoice_id": null,
          "payment_request_id": null,
          "expected": null,
          "actual": null,
          "delta": null,
          "currency": null,
          "expected_decimal": null,
          "actual_decimal": null,
          "delta_decimal": null,
          "candidate_invoice_ids": [],
          "bank_entry_id": null,
          "candidate_bank_entry_ids": [],
          "endpoint": "GET /payouts/po_1/transactions",
          "reason": "amount \"12.5\" is not a whole number of minor units",
          "raw_json": "{\"amount\":\"12.5\",\"id\":\"txn_bad\"}",
          "fingerprint": "RECORD_UNREADABLE|po_1|txn_bad||",
          "status": null,
          "first_seen": null,
          "age_days": null,
          "amount_at_stake": null,
          "ageing_bucket": "0-7",
          "disposition": "open",
          "acknowledgement": null
        },
        {
          "code": "TXN_SUGGESTED_MATCH",
          "severity": "warning",
          "message": "-1 candidate, \"check\" it",
          "payout_id": "po_jpy",
          "transaction_id": "+1",
          "invoice_id": null,
          "payment_request_id": null,
          "expected": 1500,
          "actual": 1500,
          "delta": 0,
          "currency": "JPY",
          "expected_decimal": "1500",
          "actual_decimal": "1500",
          "delta_decimal": "0",
          "candidate_invoice_ids": [
            "\t=x",
            "@SUM(A1)"
          ],
          "bank_entry_id": null,
          "candidate_bank_entry_ids": [],
          "endpoint": null,
          "reason": null,
          "raw_json": null,
          "fingerprint": "TXN_SUGGESTED_MATCH|po_jpy|+1||",
          "status": null,
          "first_seen": null,
          "age_days": null,
          "amount_at_stake": {
            "minor": 1500,
            "decimal": "1500"
          },
          "ageing_bucket": "0-7",
          "disposition": "open",
          "acknowledgement": null
        }
      ],
      "open_items": null,
      "at_stake": {
        "currencies": [
          {
            "currency": "JPY",
            "total": {
              "minor": 1500,
              "decimal": "1500"
            },
            "open": {
              "minor": 1500,
              "decimal": "1500"
            },
            "acknowledged": {
              "minor": 0,
              "decimal": "0"
            }
          },
          {
            "currency": "USD",
            "total": {
              "minor": 1250,
              "decimal": "12.50"
            },
            "open": {
              "minor": 1250,
              "decimal": "12.50"
            },
            "acknowledged": {
              "minor": 0,
              "decimal": "0.00"
            }
          }
        ],
        "by_code": [
          {
            "currency": "JPY",
            "severity": "warning",
            "code": "TXN_SUGGESTED_MATCH",
            "amount": {
              "minor": 1500,
              "decimal": "1500"
            },
            "open": {
              "minor": 1500,
              "decimal": "1500"
            }
          },
          {
            "currency": "USD",
            "severity": "error",
            "code": "PAYOUT_AMOUNT_MISMATCH",
            "amount": {
              "minor": 1250,
              "decimal": "12.50"
            },
            "open": {
              "minor": 1250,
              "decimal": "12.50"
            }
          }
        ]
      },
      "ageing": [
        {
          "currency": null,
          "buckets": [
            {
              "bucket": "0-7",
              "count": 1,
              "at_stake": null
            },
            {
              "bucket": "8-30",
              "count": 0,
              "at_stake": null
            },
            {
              "bucket": "31-90",
              "count": 0,
              "at_stake": null
            },
            {
              "bucket": "over_90",
              "count": 0,
              "at_stake": null
            }
          ]
        },
        {
          "currency": "JPY",
          "buckets": [
            {
              "bucket": "0-7",
              "count": 1,
              "at_stake": {
                "minor": 1500,
                "decimal": "1500"
              }
            },
            {
              "bucket": "8-30",
              "count": 0,
              "at_stake": {
                "minor": 0,
                "decimal": "0"
              }
            },
            {
              "bucket": "31-90",
              "count": 0,
              "at_stake": {
                "minor": 0,
                "decimal": "0"
              }
            },
            {
              "bucket": "over_90",
              "count": 0,
              "at_stake": {
                "minor": 0,
                "decimal": "0"
              }
            }
          ]
        },
        {
          "currency": "USD",
          "buckets": [
            {
              "bucket": "0-7",
              "count": 1,
              "at_stake": {
                "minor": 1250,
                "decimal": "12.50"
              }
            },
            {
              "bucket": "8-30",
              "count": 0,
              "at_stake": {
                "minor": 0,
                "decimal": "0.00"
              }
            },
            {
              "bucket": "31-90",
              "count": 0,
              "at_stake": {
                "minor": 0,
                "decimal": "0.00"
              }
            },
            {
              "bucket": "over_90",
              "count": 0,
              "at_stake": {
                "minor": 0,
                "decimal": "0.00"
              }
            }
          ]
        }
      ],
      "acknowledgements": null,
      "bank": null
    }

    """#
}
