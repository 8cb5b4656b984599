/** Airlock as a service: the HTTP API ({@code ./airlock serve}) and the MCP server. */
package dev.airlock.server;
