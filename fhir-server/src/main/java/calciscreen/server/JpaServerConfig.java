package calciscreen.server;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.jpa.api.IDaoRegistry;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.binstore.DatabaseBinaryContentStorageSvcImpl;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.config.util.ResourceCountCacheUtil;
import ca.uhn.fhir.jpa.dao.FulltextSearchSvcImpl;
import ca.uhn.fhir.jpa.dao.IFulltextSearchSvc;
import ca.uhn.fhir.jpa.dao.search.HSearchSortHelperImpl;
import ca.uhn.fhir.jpa.dao.search.IHSearchSortHelper;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.dialect.HapiFhirH2Dialect;
import ca.uhn.fhir.jpa.model.dialect.HapiFhirPostgresDialect;
import ca.uhn.fhir.jpa.provider.DaoRegistryResourceSupportedSvc;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.jpa.search.IStaleSearchDeletingSvc;
import ca.uhn.fhir.jpa.search.StaleSearchDeletingSvcImpl;
import ca.uhn.fhir.jpa.util.ResourceCountCache;
import ca.uhn.fhir.rest.api.IResourceSupportedSvc;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import jakarta.persistence.EntityManagerFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.hibernate.boot.model.naming.CamelCaseToUnderscoresNamingStrategy;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.search.mapper.orm.cfg.HibernateOrmMapperSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.orm.jpa.hibernate.SpringImplicitNamingStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.springframework.transaction.annotation.EnableTransactionManagement;

/**
 * The HAPI FHIR R4 JPA persistence layer: only what a plain FHIR server needs.
 * No clinical reasoning, MDM, bulk export/import or full-text indexing is loaded.
 */
@Configuration
@EnableTransactionManagement
@Import({JpaR4Config.class, JpaBatch2Config.class, Batch2JobsConfig.class, ThreadPoolFactoryConfig.class})
public class JpaServerConfig {

    private static final Logger log = LoggerFactory.getLogger(JpaServerConfig.class);

    /** Terminology systems we only refer to; HAPI must not try to resolve them as local resources. */
    private static final Set<String> LOGICAL_URLS = Set.of(
            "http://terminology.hl7.org/*",
            "http://snomed.info/*",
            "http://loinc.org/*",
            "http://unitsofmeasure.org/*",
            "http://hl7.org/fhir/sid/*",
            "http://www.nlm.nih.gov/research/umls/rxnorm/*",
            "http://calciscreen.example/fhir/*");

    @Bean
    public JpaStorageSettings jpaStorageSettings(ServerProperties properties) {
        JpaStorageSettings settings = new JpaStorageSettings();
        // A lab interface may post an Observation before its Patient exists: HAPI then creates a placeholder
        // Patient (marked with its placeholder extension) so that the reference is indexed and searchable,
        // and the real Patient replaces it when it is PUT with the same id.
        settings.setAutoCreatePlaceholderReferenceTargets(true);
        settings.setPopulateIdentifierInAutoCreatedPlaceholderReferenceTargets(true);
        settings.setAllowExternalReferences(true);
        settings.setTreatReferencesAsLogical(LOGICAL_URLS);
        settings.setDeleteEnabled(true);
        settings.setAllowMultipleDelete(false);
        settings.setExpungeEnabled(false);
        settings.setFetchSizeDefaultMaximum(properties.maxPageSize());
        // Keep every version: the screening reconciles through _history and _lastUpdated.
        settings.setResourceDbHistoryEnabled(true);
        // HAPI reuses the results of an identical search for 60 s by default: a client polling for a Flag, or the
        // screening re-reading a patient after a notification, would be served the state from before the change.
        settings.setReuseCachedSearchResultsForMillis(null);
        // A batch's GETs run on the request's own thread. HAPI's default fans them out to a pool of up to 100
        // threads, each taking a JDBC connection: a few concurrent batches (the screening reads each patient in
        // one) exhausted the 20-connection pool, and a server restarting under that load could not even start.
        settings.setBundleBatchPoolSize(1);
        settings.setBundleBatchMaxPoolSize(1);
        // A client's meta.source is kept; HAPI's own random request id is not: storing it set two columns of every
        // version row after its insert, one UPDATE of hfj_res_ver per resource written (17,528 in a 3-patient bench
        // ingest, 0.5 s of PostgreSQL time and a dirty-checked flush). Who wrote what is in the AuditEvent.
        settings.setStoreMetaSourceInformation(JpaStorageSettings.StoreMetaSourceInformationEnum.SOURCE_URI);
        settings.setIndexMissingFields(JpaStorageSettings.IndexEnabledEnum.DISABLED);
        settings.setAdvancedHSearchIndexing(false);
        settings.setHibernateSearchIndexFullText(false);
        return settings;
    }

    /** pgjdbc's multi-row INSERTs for Hibernate's batches, on PostgreSQL only (see the class). */
    @Bean
    public static PostgresBatchedInserts postgresBatchedInserts() {
        return new PostgresBatchedInserts();
    }

    /** A warning at start when the PostgreSQL server keeps no planner statistics (see the class). */
    @Bean
    public PostgresStatisticsCheck postgresStatisticsCheck(javax.sql.DataSource dataSource) {
        return new PostgresStatisticsCheck(dataSource);
    }

    @Bean
    public PartitionSettings partitionSettings() {
        return new PartitionSettings();
    }

    @Primary
    @Bean
    public LocalContainerEntityManagerFactoryBean entityManagerFactory(
            ConfigurableListableBeanFactory beanFactory,
            FhirContext fhirContext,
            JpaStorageSettings storageSettings,
            DataSource dataSource,
            DataSourceProperties dataSourceProperties,
            Environment environment) {
        LocalContainerEntityManagerFactoryBean factory =
                HapiEntityManagerFactoryUtil.newEntityManagerFactory(beanFactory, fhirContext, storageSettings);
        Map<String, Object> jpa = new HashMap<>(factory.getJpaPropertyMap());
        String dialect = environment.getProperty(
                "spring.jpa.properties.hibernate.dialect", dialectFor(dataSourceProperties.determineUrl()));
        log.info("event=database url_kind={} dialect={}", urlKind(dataSourceProperties.determineUrl()), dialect);
        jpa.put(AvailableSettings.DIALECT, dialect);
        jpa.put(AvailableSettings.SCANNER, "org.hibernate.boot.archive.scan.internal.DisabledScanner");
        jpa.put(AvailableSettings.IMPLICIT_NAMING_STRATEGY, SpringImplicitNamingStrategy.class.getName());
        jpa.put(AvailableSettings.PHYSICAL_NAMING_STRATEGY, CamelCaseToUnderscoresNamingStrategy.class.getName());
        jpa.put(AvailableSettings.HBM2DDL_AUTO, environment.getProperty("calciscreen.server.schema", "update"));
        jpa.put(AvailableSettings.STATEMENT_BATCH_SIZE, "20");
        jpa.put(AvailableSettings.ORDER_INSERTS, "true");
        jpa.put(AvailableSettings.USE_SECOND_LEVEL_CACHE, "false");
        jpa.put(AvailableSettings.USE_QUERY_CACHE, "false");
        // HAPI loads search results with IN lists of every length; padded to powers of two, they make a few
        // distinct statements that Hibernate's plan cache and PostgreSQL's prepared statements can reuse
        jpa.put(AvailableSettings.IN_CLAUSE_PARAMETER_PADDING, "true");
        jpa.put(HibernateOrmMapperSettings.ENABLED, "false");
        factory.setPersistenceUnitName("HAPI_PU");
        factory.setJpaPropertyMap(jpa);
        factory.setDataSource(dataSource);
        return factory;
    }

    /** HAPI ships a Hibernate dialect per database; pick it from the JDBC URL unless one is configured. */
    static String dialectFor(String jdbcUrl) {
        if (jdbcUrl != null && jdbcUrl.startsWith("jdbc:postgresql:")) {
            return HapiFhirPostgresDialect.class.getName();
        }
        if (jdbcUrl != null && jdbcUrl.startsWith("jdbc:h2:")) {
            return HapiFhirH2Dialect.class.getName();
        }
        throw new IllegalStateException("Unsupported database URL (PostgreSQL or H2 expected; "
                + "set spring.jpa.properties.hibernate.dialect for another): " + urlKind(jdbcUrl));
    }

    private static String urlKind(String jdbcUrl) {
        if (jdbcUrl == null) {
            return "none";
        }
        int second = jdbcUrl.indexOf(':', 5);
        return second > 0 ? jdbcUrl.substring(0, second) : "unknown";
    }

    @Bean
    @Primary
    public JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
        return new JpaTransactionManager(entityManagerFactory);
    }

    @Bean
    public IFulltextSearchSvc fullTextSearchSvc() {
        return new FulltextSearchSvcImpl();
    }

    @Bean
    public IHSearchSortHelper hSearchSortHelper(ISearchParamRegistry searchParamRegistry) {
        return new HSearchSortHelperImpl(searchParamRegistry);
    }

    @Bean
    public IStaleSearchDeletingSvc staleSearchDeletingSvc() {
        return new StaleSearchDeletingSvcImpl();
    }

    @Bean
    public DatabaseBackedPagingProvider databaseBackedPagingProvider(ServerProperties properties) {
        DatabaseBackedPagingProvider paging = new DatabaseBackedPagingProvider();
        paging.setDefaultPageSize(properties.defaultPageSize());
        paging.setMaximumPageSize(properties.maxPageSize());
        return paging;
    }

    @Bean
    public IResourceSupportedSvc resourceSupportedSvc(IDaoRegistry daoRegistry) {
        return new DaoRegistryResourceSupportedSvc(daoRegistry);
    }

    @Bean(name = "myResourceCountsCache")
    public ResourceCountCache resourceCountsCache(IFhirSystemDao<?, ?> systemDao) {
        return ResourceCountCacheUtil.newResourceCountCache(systemDao);
    }

    @Bean
    public DatabaseBinaryContentStorageSvcImpl binaryStorageSvc() {
        return new DatabaseBinaryContentStorageSvcImpl();
    }
}
