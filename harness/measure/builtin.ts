/**
 * Every measurement the harness has, registered in the order a run starts them (and stops them
 * in reverse: lost-updates checks last-written state before the watches close).
 */
import "./cr-latency/register.ts";
import "./path-status/register.ts";
import "./process/register.ts";
import "./scrape/register.ts";
import "./failover/register.ts";
import "./patronus-requests/register.ts";
import "./field-managers/register.ts";
import "./cost/register.ts";
import "./machine/register.ts";
import "./correctness/register.ts";
import "./split-brain/register.ts";

export {
  createMeasurements,
  type MeasurementSetup,
  registeredMeasurements,
  requireDisablable,
} from "./registry.ts";
