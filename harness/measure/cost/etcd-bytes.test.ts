import assert from "node:assert/strict";
import { test } from "node:test";
import { parsePrometheusText } from "../prometheus/parse.ts";
import { ETCD_BYTE_COUNTERS, etcdBytes, etcdBytesPerObject } from "./etcd-bytes.ts";

const scrape = (received: number, sent: number) =>
  etcdBytes(
    parsePrometheusText(
      [
        "# TYPE etcd_network_client_grpc_received_bytes_total counter",
        `etcd_network_client_grpc_received_bytes_total ${received}`,
        "# TYPE etcd_network_client_grpc_sent_bytes_total counter",
        `etcd_network_client_grpc_sent_bytes_total ${sent}`,
        "# TYPE etcd_mvcc_put_total counter",
        "etcd_mvcc_put_total 11398",
        "",
      ].join("\n"),
      ETCD_BYTE_COUNTERS,
    ).samples,
  );

test("bytes per object by direction and together: the change over the run divided by the objects changed", () => {
  const per = etcdBytesPerObject(scrape(1_000, 5_000)!, scrape(201_000, 905_000)!, 100);
  assert.equal(per.get('etcd_bytes_per_object{direction="received"}'), 2000);
  assert.equal(per.get('etcd_bytes_per_object{direction="sent"}'), 9000);
  assert.equal(per.get("etcd_bytes_per_object"), 11000);
});

test("an etcd restarted during the run counts from zero; a scrape without the counters gives nothing", () => {
  const per = etcdBytesPerObject(scrape(500_000, 500_000)!, scrape(30_000, 60_000)!, 10);
  assert.equal(per.get('etcd_bytes_per_object{direction="received"}'), 3000);
  assert.equal(per.get("etcd_bytes_per_object"), 9000);
  assert.equal(etcdBytes(parsePrometheusText("etcd_mvcc_put_total 1\n").samples), undefined);
});
