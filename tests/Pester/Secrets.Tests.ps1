# Every exported cmdlet, succeeding and failing, with -Verbose and -Debug, while the sandbox injects faults that make the
# client retry and refresh its token: neither a secret nor any access token the sandbox issued may appear in any stream,
# error record, exception text, ToString, formatted view or exported file.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force
    $commands = Get-Command -Module WeComPS | ForEach-Object { @{ Name = $_.Name } }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force
    $script:server = Start-TestSandboxServer
    # -Debug means Inquire on Windows PowerShell 5.1, which cannot prompt here: there Get-Trace sets $DebugPreference instead.
    $script:vd = if ($PSVersionTable.PSEdition -eq 'Desktop') { @{ Verbose = $true } } else { @{ Verbose = $true; Debug = $true } }
    $script:wrongSecret = 'wrong-secret-7f3a9c'
    $script:secrets = $SandboxSecret, $SandboxAppSecret, $wrongSecret

    # Minimal calls per cmdlet: ones that succeed and ones that fail; -WhatIf where the change is not needed.
    $script:calls = @{
        'Connect-WeCom'          = @(
            { Connect-WeCom -CorpId $SandboxCorpId -Secret (ConvertTo-TestSecret $SandboxSecret) -BaseUri $server.BaseUri @vd }
            { Connect-WeCom -CorpId $SandboxCorpId -Secret (ConvertTo-TestSecret $wrongSecret) -BaseUri $server.BaseUri @vd }
            { Connect-WeCom -Credential ([pscredential]::new($SandboxCorpId, (ConvertTo-TestSecret $SandboxAppSecret))) -BaseUri $server.BaseUri -Name app @vd }
            { Connect-WeCom -Sandbox @vd }
            {
                $env:WECOM_CORP_ID, $env:WECOM_CORP_SECRET, $env:WECOM_BASE_URI = $SandboxCorpId, $SandboxSecret, $server.BaseUri
                try { Connect-WeCom -Name env @vd } finally { Remove-Item Env:WECOM_CORP_ID, Env:WECOM_CORP_SECRET, Env:WECOM_BASE_URI }
            }
        )
        'Disconnect-WeCom'       = @({ Disconnect-WeCom -Name nosuch @vd }, { Disconnect-WeCom @vd })
        'Get-WeComConnection'    = @({ Get-WeComConnection @vd }, { Get-WeComConnection -Current @vd })
        'Get-WeComDepartment'    = @({ Get-WeComDepartment -Id 2, 99 -Recurse @vd })
        'New-WeComDepartment'    = @({ New-WeComDepartment -Name 泄漏测试 -ParentId 1 -Confirm:$false @vd }, { New-WeComDepartment -Name 无父 -ParentId 999 -Confirm:$false @vd })
        'Set-WeComDepartment'    = @({ Set-WeComDepartment -Id 10 -Name 测试部二 -PassThru -Confirm:$false @vd }, { Set-WeComDepartment -Id 999 -Name x -Confirm:$false @vd })
        'Remove-WeComDepartment' = @({ Remove-WeComDepartment -Id 10 -WhatIf @vd }, { Remove-WeComDepartment -Id 999 -Confirm:$false @vd })
        'Get-WeComUser'          = @({ Get-WeComUser -UserId LiSi, nobody @vd }, { Get-WeComUser -DepartmentId 1 -Recurse @vd })
        'New-WeComUser'          = @({ New-WeComUser -UserId leak.test -Name 泄漏 -Email leak@example.com -Confirm:$false @vd }, { New-WeComUser -UserId LiSi -Name 李四 -Email other@example.com -Confirm:$false @vd })
        'Set-WeComUser'          = @({ Set-WeComUser -UserId LiSi -Position 总监 -PassThru -Confirm:$false @vd }, { Set-WeComUser -UserId nobody -Position x -Confirm:$false @vd })
        'Enable-WeComUser'       = @({ Enable-WeComUser -UserId LiangBa, nobody -PassThru -Confirm:$false @vd })
        'Disable-WeComUser'      = @({ Disable-WeComUser -UserId LuoQi, nobody -Confirm:$false @vd })
        'Remove-WeComUser'       = @({ Remove-WeComUser -UserId WangWu -WhatIf @vd }, { Remove-WeComUser -UserId nobody -Confirm:$false @vd })
        'Get-WeComUserId'        = @({ Get-WeComUserId -Mobile 13810000001, 13999999999 @vd }, { Get-WeComUserId -Email lisi@sandbox.wecom.work @vd })
        'ConvertTo-WeComOpenId'  = @({ ConvertTo-WeComOpenId -UserId LiSi, ZhengShi, nobody @vd })
        'Send-WeComInvitation'   = @({ Send-WeComInvitation -UserId LiSi, nobody -Confirm:$false @vd })
        'Get-WeComTag'           = @({ Get-WeComTag @vd }, { Get-WeComTag -TagId 99 @vd })
        'New-WeComTag'           = @({ New-WeComTag -Name 泄漏标签 -Confirm:$false @vd }, { New-WeComTag -Name 技术委员会 -Confirm:$false @vd })
        'Set-WeComTag'           = @({ Set-WeComTag -TagId 3 -Name 值班二 -PassThru -Confirm:$false @vd }, { Set-WeComTag -TagId 99 -Name x -Confirm:$false @vd })
        'Remove-WeComTag'        = @({ Remove-WeComTag -TagId 3 -WhatIf @vd }, { Remove-WeComTag -TagId 99 -Confirm:$false @vd })
        'Get-WeComTagMember'     = @({ Get-WeComTagMember -TagId 1, 99 @vd })
        'Add-WeComTagUser'       = @({ Add-WeComTagUser -TagId 3 -UserId LiSi, nobody -DepartmentId 5 -PassThru -Confirm:$false @vd })
        'Remove-WeComTagUser'    = @({ Remove-WeComTagUser -TagId 1 -UserId SunQi, nobody -PassThru -Confirm:$false @vd })
        'Sync-WeComUser'         = @({ Get-WeComUser -DepartmentId 9 | Select-Object UserId, Name | Sync-WeComUser -Confirm:$false @vd }, { [pscustomobject]@{ UserId = 'bad id!'; Name = 'x' } | Sync-WeComUser -Replace -Confirm:$false @vd })
        'Sync-WeComDepartment'   = @({ Get-WeComDepartment | Sync-WeComDepartment -WhatIf @vd }, { [pscustomobject]@{ Id = 1; Name = 'a|b'; ParentId = 0 } | Sync-WeComDepartment -Confirm:$false @vd })
        'Get-WeComJob'           = @({ Get-WeComJob -JobId nosuch @vd })
        'Wait-WeComJob'          = @({ Wait-WeComJob -JobId nosuch @vd })
        'Export-WeComUser'       = @({ Export-WeComUser @vd })
        'Export-WeComDepartment' = @({ Export-WeComDepartment @vd })
        'Export-WeComTagUser'    = @({ Export-WeComTagUser -TagId 1, 99 @vd })
        'Compare-WeComUser'      = @({ 'UserId,Position,Department', 'LiSi,总监,广州研发中心/邮箱产品部' | ConvertFrom-Csv | Compare-WeComUser @vd }, { 'UserId,Department', 'LiSi,/没有/这个部门' | ConvertFrom-Csv | Compare-WeComUser @vd })
        'Compare-WeComDepartment' = @({ [pscustomobject]@{ Path = '广州研发中心/泄漏测试' } | Compare-WeComDepartment -CreateMissingDepartments @vd }, { [pscustomobject]@{ Path = '广州研发中心/a|b' } | Compare-WeComDepartment @vd })
        'Invoke-WeComPlan'       = @({ 'UserId,Position', 'LiSi,总监' | ConvertFrom-Csv | Compare-WeComUser | Invoke-WeComPlan -JournalPath (Join-Path $TestDrive 'leak.jsonl') -Confirm:$false @vd }, { 'UserId,Position', 'nobody,x' | ConvertFrom-Csv | Compare-WeComUser -ErrorAction SilentlyContinue | Invoke-WeComPlan -Confirm:$false @vd })
        'Get-WeComJournal'       = @({ Get-WeComJournal -Path (Join-Path $TestDrive 'leak.jsonl') @vd }, { Get-WeComJournal -Path (Join-Path $TestDrive 'none.jsonl') @vd })
        'Invoke-WeComApi'        = @({ Invoke-WeComApi user/get -Query @{ userid = 'LiSi' } @vd }, { Invoke-WeComApi gettoken @vd }, { Invoke-WeComApi user/get -Query @{ userid = 'nobody' } @vd })
    }

    # Faults that make the client log retries and fetch a new token, before every test (and none left from the last).
    function Add-Faults {
        Invoke-TestSandboxDebug $server reset -Method Post | Out-Null
        foreach ($fault in @{ 'user/get' = 'errcode:40014' }, @{ 'user/list' = 'reset' }, @{ 'department/list' = 'errcode:-1' },
            @{ 'tag/list' = 'malformed' }, @{ 'tag/get' = 'http:502' }, @{ 'user/create' = 'reset-after-apply' }, @{ 'gettoken' = 'errcode:-1' }) {
            $fault.GetEnumerator() | ForEach-Object { Invoke-TestSandboxDebug $server "inject?path=$($_.Key)&fault=$($_.Value)" -Method Post | Out-Null }
        }
    }

    # Every text a call leaves: each record of every stream, errors in full (exception text with inner exceptions and
    # stack, details, target, every property), output objects as text, list, table and JSON, and the files they export to.
    function Get-Trace([scriptblock] $Call) {
        $DebugPreference = 'Continue'
        $global:Error.Clear()
        $records = @(try { & $Call *>&1 } catch { $_ })
        $records += @($global:Error)
        $objects = @($records | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] -and $_ -isnot [System.Management.Automation.InformationalRecord] })
        foreach ($record in $records) {
            "$record"
            $record | Format-List * -Force | Out-String -Width 500
            if ($record -is [System.Management.Automation.ErrorRecord]) {
                $record.Exception.ToString()
                $record.Exception | Format-List * -Force | Out-String -Width 500
                $record.ErrorDetails | Format-List * -Force | Out-String -Width 500
                "$($record.TargetObject)"
            }
        }

        foreach ($object in $objects) {
            $object | Format-Table * -Force | Out-String -Width 500
            $object | ConvertTo-Json -Depth 3 -WarningAction SilentlyContinue
        }

        if ($objects) {
            $csv = Join-Path $TestDrive 'output.csv'
            $xml = Join-Path $TestDrive 'output.xml'
            $objects | Export-Csv $csv -NoTypeInformation -Force
            $objects | Export-Clixml $xml -Depth 3 -Force
            Get-Content $csv -Raw
            Get-Content $xml -Raw
        }
    }

    # Every access token issued so far, by the server and by the in-process sandbox behind Connect-WeCom -Sandbox.
    function Get-IssuedToken {
        (Invoke-TestSandboxDebug $server tokens).tokens
        $registry = [WeComPS.Commands.ConnectWeComCommand].Assembly.GetType('WeComPS.Commands.ConnectionRegistry')
        $registry.GetProperty('Sandbox').GetValue($null).IssuedTokens
    }
}

AfterAll {
    Get-WeComConnection | Disconnect-WeCom
    Stop-TestSandboxServer $server
}

Describe 'No secret and no access token leaks' -Tag CI {
    BeforeEach {
        $connection = Connect-WeCom -CorpId $SandboxCorpId -Secret (ConvertTo-TestSecret $SandboxSecret) -BaseUri $server.BaseUri -PassThru
        $connection.Retry.BaseDelay = [timespan]::FromMilliseconds(10)
        Add-Faults
    }

    It '<Name>, succeeding and failing, leaves no secret or token anywhere' -ForEach $commands {
        if (-not $calls.ContainsKey($Name)) {
            # A new cmdlet: at least run it without arguments, and ask for minimal calls.
            $calls[$Name] = @([scriptblock]::Create("$Name @vd"))
            $unlisted = $true
        }

        $texts = foreach ($call in $calls[$Name]) { Get-Trace $call }
        $needles = @($secrets) + @(Get-IssuedToken)

        $texts | Should -Not -BeNullOrEmpty
        $needles.Count | Should -BeGreaterThan 3
        $leaks = foreach ($needle in $needles) { $texts | Where-Object { $_ -and $_.Contains($needle) } | Select-Object -First 1 }
        $leaks | Should -BeNullOrEmpty -Because 'secrets and tokens must never be shown'
        $texts | Where-Object { $_ -match 'access_token=|corpsecret=(?!\*\*\*)' } | Should -BeNullOrEmpty
        if ($unlisted) { Set-ItResult -Inconclusive -Because "$Name has no minimal calls in Secrets.Tests.ps1 yet" }
    }

    It 'the trace really holds debug output, errors and the faults'' retries' {
        $texts = Get-Trace { Get-WeComUser -UserId LiSi, nobody @vd; Get-WeComUser -DepartmentId 1 -Recurse @vd }
        $joined = $texts -join "`n"
        $joined | Should -Match 'GET user/get\?userid=LiSi'
        $joined | Should -Match 'refused the access token \(40014\)'
        $joined | Should -Match 'user/list failed \(WeComUnreachable\); retry 1'
        $joined | Should -Match 'UserNotFound'
        # Were the token shown, it would be found: the tokens are what the sandbox issued.
        $joined.Contains(@(Get-IssuedToken)[0]) | Should -BeFalse
    }
}
