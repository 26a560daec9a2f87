package kr.max.factory.edge;

import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * What an edge node reports about itself.
 *
 * @param captured        samples captured (fsynced to the buffer) since the node started
 * @param buffered        captured samples the hub has not acknowledged yet, all sources
 * @param forwarded       samples the hub acknowledged since the node started
 * @param lastSequences   per source (equipment path): the last captured sequence number
 * @param acknowledged    per source: the number the hub has acknowledged
 * @param hubReachable    whether the last exchange with the hub succeeded
 * @param lastProblem     the last reason the hub could not be reached, or null
 * @param stoppedSources  per source whose samples the hub refused for good: the error's message
 * @param sourcesRunning  whether the connectors are still delivering
 * @param rulesVersion    the version of the hub's edge rules in force, or -1 while there are none (nothing is forwarded)
 * @param rulesProblem    why there are none ({@code MAX-EDGE-014}, {@code -015}), or null
 */
public record EdgeStatus(long captured, long buffered, long forwarded, Map<String, Long> lastSequences,
        Map<String, Long> acknowledged, boolean hubReachable, String lastProblem, Map<String, String> stoppedSources,
        boolean sourcesRunning, long rulesVersion, String rulesProblem) {

    /** As properties (for the status file a supervising process reads): one key per figure and per source. */
    public Properties toProperties() {
        var p = new Properties();
        p.setProperty("captured", Long.toString(captured));
        p.setProperty("buffered", Long.toString(buffered));
        p.setProperty("forwarded", Long.toString(forwarded));
        p.setProperty("hubReachable", Boolean.toString(hubReachable));
        p.setProperty("sourcesRunning", Boolean.toString(sourcesRunning));
        if (lastProblem != null) p.setProperty("lastProblem", lastProblem);
        p.setProperty("rulesVersion", rulesVersion < 0 ? "none" : Long.toString(rulesVersion));
        if (rulesProblem != null) p.setProperty("rulesProblem", rulesProblem);
        new TreeMap<>(lastSequences).forEach((s, n) -> p.setProperty("last." + s, Long.toString(n)));
        new TreeMap<>(acknowledged).forEach((s, n) -> p.setProperty("acked." + s, Long.toString(n)));
        stoppedSources.forEach((s, m) -> p.setProperty("stopped." + s, m));
        return p;
    }
}
