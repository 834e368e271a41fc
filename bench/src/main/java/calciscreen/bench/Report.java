package calciscreen.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The summary table (stdout and Markdown), the full figures as JSON, and the flag-latency plot (PNG, XChart). */
public final class Report {

    /** One line of the summary: a figure, its target (empty if none) and whether it is met. */
    public record Row(String measure, String value, String target, String verdict) {

        static Row of(String measure, String value) {
            return new Row(measure, value, "", "");
        }

        static Row target(String measure, String value, String target, boolean met) {
            return new Row(measure, value, target, met ? "met" : "MISSED");
        }
    }

    private Report() {}

    public static String table(List<Row> rows) {
        int w0 = Math.max(7, rows.stream().mapToInt(r -> r.measure().length()).max().orElse(0));
        int w1 = Math.max(5, rows.stream().mapToInt(r -> r.value().length()).max().orElse(0));
        int w2 = Math.max(6, rows.stream().mapToInt(r -> r.target().length()).max().orElse(0));
        StringBuilder out = new StringBuilder();
        String format = "%-" + w0 + "s  %-" + w1 + "s  %-" + w2 + "s  %s%n";
        out.append(String.format(format, "measure", "value", "target", ""));
        out.append("-".repeat(w0 + w1 + w2 + 12)).append('\n');
        for (Row row : rows) {
            out.append(String.format(format, row.measure(), row.value(), row.target(), row.verdict()));
        }
        return out.toString();
    }

    public static String markdown(String title, Map<String, Object> context, List<Row> rows) {
        StringBuilder md = new StringBuilder("# ").append(title).append("\n\n");
        context.forEach((key, value) -> md.append("- ").append(key).append(": ").append(value).append('\n'));
        md.append("\n| measure | value | target | |\n|---|---|---|---|\n");
        for (Row row : rows) {
            md.append("| ").append(row.measure()).append(" | ").append(row.value()).append(" | ")
                    .append(row.target()).append(" | ").append(row.verdict()).append(" |\n");
        }
        return md.toString();
    }

    public static void writeJson(Path file, Object value) {
        try {
            Files.createDirectories(file.getParent());
            new ObjectMapper().findAndRegisterModules().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(file.toFile(), value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Flag latency of every tier-changing lab result over the feed, one series per phase (fixed rate, ramp steps). */
    public static void latencyPlot(Path file, List<LabFeed.Sample> samples, String subtitle) {
        XYChart chart = new XYChartBuilder().width(1000).height(560)
                .title("calciscreen flag latency over the lab feed (" + subtitle + ")")
                .xAxisTitle("seconds since the feed started").yAxisTitle("201 -> Flag visible by search (ms)").build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(5);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setYAxisLogarithmic(false);
        Map<String, List<LabFeed.Sample>> byPhase = samples.stream()
                .collect(Collectors.groupingBy(LabFeed.Sample::phase, LinkedHashMap::new, Collectors.toList()));
        if (byPhase.isEmpty()) {
            chart.addSeries("no samples", new double[] {0}, new double[] {0});
        }
        byPhase.forEach((phase, list) -> {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (LabFeed.Sample s : list) {
                x.add(s.atSeconds());
                y.add(s.latencyMs());
            }
            XYSeries series = chart.addSeries(phase + " (" + list.size() + ")", x, y);
            series.setMarker(SeriesMarkers.CIRCLE);
        });
        try {
            Files.createDirectories(file.getParent());
            BitmapEncoder.saveBitmap(chart, file.toString().replaceFirst("\\.png$", ""), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
