package io.flowbin.pipeline;

/** The {@code Query} parameter of a RetrieveMultiple sent as FetchXML: the query's text, as the client sent it. */
public record FetchExpression(String query) {}
