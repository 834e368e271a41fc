package calciscreen.screening.context;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.RiskAssessment;

/**
 * The record last read for each recently screened patient, kept current by the resources that rest-hook
 * notifications carry, so that a notified change is screened without reading the patient again.
 *
 * <p>Safety comes first; the cache only answers when it is known to hold everything the server holds:
 * <ul>
 *   <li>an entry lives at most {@code maxAge} after its full read, then the patient is read again;</li>
 *   <li>only a change that arrived with its payload updates an entry; every other reason to screen (reconciliation,
 *       a delete, backfill, a payload that cannot be applied, a failed or conflicting write) drops it first
 *       ({@link #invalidate}), so the screening reads the server;</li>
 *   <li>a read that overlapped a notification is not kept ({@link #generation}), because it may predate the change;</li>
 *   <li>an older version never replaces a newer one, whatever order the notifications arrive in;</li>
 *   <li>a resource that moves to another patient drops the first patient's entry.</li>
 * </ul>
 * The Flag and RiskAssessment in an entry are those the screening last wrote or read; their writes carry
 * {@code If-Match}, so a stale one ends in a conflict and a fresh read, never in a lost update.
 */
public final class PatientRecordCache {

    /** The resource types whose notifications can be applied; anything else drops the entry. */
    private static final Set<String> APPLICABLE = Set.of("Observation", "Condition", "Procedure", "MedicationRequest",
            "MedicationStatement");

    private static final class Entry {
        final String patientId;
        final Instant readAt;
        Optional<Patient> patient;
        final Map<String, Resource> data;
        Optional<Flag> flag;
        Optional<RiskAssessment> riskAssessment;

        Entry(PatientRecord record, Instant readAt) {
            this.patientId = record.patientId();
            this.readAt = readAt;
            this.patient = record.patient();
            this.data = new LinkedHashMap<>();
            for (Resource resource : record.clinicalData()) {
                data.put(key(resource), resource);
            }
            this.flag = record.flag();
            this.riskAssessment = record.riskAssessment();
        }

        PatientRecord toRecord() {
            return new PatientRecord(patientId, patient, List.copyOf(data.values()), flag, riskAssessment, 0);
        }
    }

    private final Duration maxAge;
    private final int capacity;
    private final LinkedHashMap<String, Entry> entries;
    /** Which patient's entry holds a clinical resource ({@code Type/id}). */
    private final Map<String, String> owners = new HashMap<>();
    /**
     * For each patient, the sequence number of its latest notification (cached or not). Numbers come from one
     * counter that only grows, so a pruned patient's next notification never repeats a number a reader holds.
     */
    private final Map<String, Long> generations = new HashMap<>();
    private long sequence;

    public PatientRecordCache(Duration maxAge, int capacity) {
        this.maxAge = maxAge;
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true);
    }

    /** The patient's record if it is cached and younger than {@code maxAge}. */
    public synchronized Optional<PatientRecord> current(String patientId, Instant now) {
        Entry entry = entries.get(patientId);
        if (entry == null) {
            return Optional.empty();
        }
        if (entry.readAt.plus(maxAge).isBefore(now)) {
            drop(patientId);
            return Optional.empty();
        }
        return Optional.of(entry.toRecord());
    }

    /** False when the cache is off ({@code record-cache-max-age: 0} or no capacity): {@link #remember} keeps nothing. */
    public boolean keepsRecords() {
        return capacity > 0 && !maxAge.isZero();
    }

    /** Take before a full read, give to {@link #remember}: a notification in between makes the read not kept. */
    public synchronized long generation(String patientId) {
        return generations.getOrDefault(patientId, 0L);
    }

    /**
     * Keeps a full read, unless a notification for the patient arrived since {@code generation} was taken.
     * Answers whether it was kept.
     */
    public synchronized boolean remember(PatientRecord record, long generation, Instant readAt) {
        if (!keepsRecords() || generation(record.patientId()) != generation) {
            return false;
        }
        drop(record.patientId());
        Entry entry = new Entry(record, readAt);
        for (String key : entry.data.keySet()) {
            String previous = owners.put(key, record.patientId());
            if (previous != null && !previous.equals(record.patientId())) {
                drop(previous); // the resource moved between patients: the other entry is stale
                owners.put(key, record.patientId());
            }
        }
        entries.put(record.patientId(), entry);
        if (entries.size() > capacity) {
            drop(entries.keySet().iterator().next()); // least recently used
        }
        return true;
    }

    /**
     * Applies a changed resource that a notification carried. Returns true when the patient's entry now reflects it;
     * false when the patient is not cached or the change cannot be applied (the entry is then dropped).
     */
    public synchronized boolean apply(String patientId, Resource changed) {
        generations.put(patientId, ++sequence);
        String key = key(changed);
        dropOtherOwner(key, patientId);
        Entry entry = entries.get(patientId);
        if (entry == null) {
            return false;
        }
        if (changed instanceof Patient patient) {
            if (entry.patient.isPresent() && isOlder(patient, entry.patient.get())) {
                return true;
            }
            entry.patient = Optional.of(patient);
            return true;
        }
        if (!APPLICABLE.contains(changed.fhirType()) || !medicationKnown(entry, changed)) {
            drop(patientId);
            return false;
        }
        Resource current = entry.data.get(key);
        if (current == null || !isOlder(changed, current)) {
            entry.data.put(key, changed);
            owners.put(key, patientId);
        }
        return true;
    }

    /**
     * A notification names {@code changed} as the patient's, and a read of that patient already on its way will bring
     * it: only another patient's entry holding the same resource is dropped (it may have moved away from them).
     */
    public synchronized void claimedBy(String patientId, Resource changed) {
        dropOtherOwner(key(changed), patientId);
    }

    /** Drops the entry of the patient other than {@code patientId} that holds the resource {@code key}, if any. */
    private void dropOtherOwner(String key, String patientId) {
        String owner = owners.get(key);
        if (owner != null && !owner.equals(patientId)) {
            drop(owner);
        }
    }

    /** Records what the screening just wrote (with the versions the server gave them). */
    public synchronized void wrote(String patientId, Optional<Flag> flag, Optional<RiskAssessment> riskAssessment) {
        Entry entry = entries.get(patientId);
        if (entry == null) {
            return;
        }
        flag.ifPresent(f -> entry.flag = Optional.of(f));
        riskAssessment.ifPresent(ra -> entry.riskAssessment = Optional.of(ra));
    }

    /** Forgets the patient: the next screening reads the server. Also counts as a change for {@link #generation}. */
    public synchronized void invalidate(String patientId) {
        generations.put(patientId, ++sequence);
        drop(patientId);
    }

    public synchronized int size() {
        return entries.size();
    }

    private void drop(String patientId) {
        Entry entry = entries.remove(patientId);
        if (entry != null) {
            for (String key : entry.data.keySet()) {
                owners.remove(key, patientId);
            }
        }
        if (generations.size() > Math.max(1_000, 4 * capacity)) {
            generations.keySet().retainAll(entries.keySet()); // only overlap with a read in flight matters
        }
    }

    /** A request naming its drug by reference is applied only when that Medication is already in the entry. */
    private static boolean medicationKnown(Entry entry, Resource changed) {
        Reference reference = PatientReferences.medicationOf(changed).orElse(null);
        if (reference == null || reference.getReference() == null || reference.getReference().startsWith("#")) {
            return true;
        }
        String target = reference.getReferenceElement().toUnqualifiedVersionless().getValue();
        return entry.data.containsKey(target);
    }

    private static boolean isOlder(Resource candidate, Resource current) {
        long a = version(candidate);
        long b = version(current);
        return a >= 0 && b >= 0 && a < b;
    }

    private static long version(Resource resource) {
        String version = resource.getMeta().getVersionId();
        if (version == null && resource.getIdElement().hasVersionIdPart()) {
            version = resource.getIdElement().getVersionIdPart();
        }
        try {
            return version == null ? -1 : Long.parseLong(version);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String key(Resource resource) {
        return resource.fhirType() + "/" + resource.getIdElement().getIdPart();
    }
}
