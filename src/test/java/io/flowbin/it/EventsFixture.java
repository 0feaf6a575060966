package io.flowbin.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowbin.testing.WebApiClient;
import io.flowbin.testing.WebApiClient.Response;
import java.time.Duration;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/** Registers steps, images and endpoints through the Web API, as an integrator does, and reads system jobs. */
final class EventsFixture {
    static final String PLUGIN = "io.flowbin.it.plugins.ScriptedPlugin";

    private final WebApiClient api;

    /** A path with its query's spaces encoded. */
    static String q(String path) {
        return path.replace(" ", "%20");
    }

    EventsFixture(WebApiClient api) {
        this.api = api;
    }

    String messageId(String name) {
        Response response = api.get(q("sdkmessages?$select=sdkmessageid&$filter=name eq '" + name + "'"));
        assertEquals(200, response.status(), response.body());
        return response.json().path("value").get(0).path("sdkmessageid").asText();
    }

    String filterId(String message, String table) {
        Response response = api.get(q("sdkmessagefilters?$select=sdkmessagefilterid&$filter=sdkmessageid/name eq '"
                + message + "' and primaryobjecttypecode eq '" + table + "'"));
        assertEquals(200, response.status(), response.body());
        return response.json().path("value").get(0).path("sdkmessagefilterid").asText();
    }

    String pluginTypeId() {
        Response response = api.get(q("plugintypes?$select=plugintypeid&$filter=typename eq '" + PLUGIN + "'"));
        assertEquals(200, response.status(), response.body());
        return response.json().path("value").get(0).path("plugintypeid").asText();
    }

    /** The body of a step on flowsessionbinary; {@code handler} is an {@code eventhandler_...@odata.bind} pair. */
    String stepBody(String message, int stage, int mode, int rank, String handler, @Nullable String configuration,
            @Nullable String filtering) {
        return "{\"name\":\"flowsessionbinary: " + message + " stage " + stage + " mode " + mode + "\","
                + "\"stage\":" + stage + ",\"mode\":" + mode + ",\"rank\":" + rank + ",\"supporteddeployment\":0,"
                + "\"sdkmessageid@odata.bind\":\"/sdkmessages(" + messageId(message) + ")\","
                + "\"sdkmessagefilterid@odata.bind\":\"/sdkmessagefilters(" + filterId(message, "flowsessionbinary")
                + ")\"," + handler
                + (configuration == null ? "" : ",\"configuration\":\"" + configuration + "\"")
                + (filtering == null ? "" : ",\"filteringattributes\":\"" + filtering + "\"") + "}";
    }

    String pluginHandler() {
        return "\"eventhandler_plugintype@odata.bind\":\"/plugintypes(" + pluginTypeId() + ")\"";
    }

    static String endpointHandler(String endpointId) {
        return "\"eventhandler_serviceendpoint@odata.bind\":\"/serviceendpoints(" + endpointId + ")\"";
    }

    String pluginStep(String message, int stage, int mode, int rank, String configuration) {
        return api.create("sdkmessageprocessingsteps",
                stepBody(message, stage, mode, rank, pluginHandler(), configuration, null));
    }

    String image(String stepId, int type, String alias, @Nullable String attributes, String property) {
        return api.create("sdkmessageprocessingstepimages", "{\"name\":\"" + alias + "\",\"entityalias\":\"" + alias
                + "\",\"imagetype\":" + type + ",\"messagepropertyname\":\"" + property + "\""
                + (attributes == null ? "" : ",\"attributes\":\"" + attributes + "\"")
                + ",\"sdkmessageprocessingstepid@odata.bind\":\"/sdkmessageprocessingsteps(" + stepId + ")\"}");
    }

    String webhook(String url, int authType, String authValue) {
        return api.create("serviceendpoints", "{\"name\":\"hook\",\"contract\":8,\"url\":\"" + url
                + "\",\"authtype\":" + authType + ",\"authvalue\":\"" + authValue.replace("\"", "\\\"")
                + "\",\"messageformat\":2,\"userclaim\":1,\"connectionmode\":1}");
    }

    /** Removes every step (and so its images' effect) and endpoint the test registered. */
    void removeRegistrations() {
        for (JsonNode step : api.get(q("sdkmessageprocessingsteps?$select=sdkmessageprocessingstepid")).json()
                .path("value")) {
            api.delete("sdkmessageprocessingsteps(" + step.path("sdkmessageprocessingstepid").asText() + ")");
        }
    }

    /** The system jobs of a step, once {@code done} holds for all of at least {@code count} of them. */
    JsonNode jobsOf(String stepId, int count, Predicate<JsonNode> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Response response = api.get(q("asyncoperations?$select=asyncoperationid,name,statecode,statuscode,"
                    + "message,errorcode,retrycount,depth,correlationid,messagename,primaryentitytype,data,"
                    + "_regardingobjectid_value,_owningextensionid_value&$filter=_owningextensionid_value eq "
                    + stepId));
            assertEquals(200, response.status(), response.body());
            JsonNode jobs = response.json().path("value");
            boolean allDone = jobs.size() >= count;
            for (JsonNode job : jobs) {
                allDone &= done.test(job);
            }
            if (allDone || System.nanoTime() > deadline) {
                return jobs;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return jobs;
            }
        }
    }

    static boolean completed(JsonNode job) {
        return job.path("statecode").asInt() == 3;
    }
}
